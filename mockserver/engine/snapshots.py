"""Snapshots: a sandbox's state pickled into the store now and then, so loading it replays only the operations
after; a big one pickled by a forked child (engine/forked.py), so the server's thread does not wait for it."""

from __future__ import annotations

import functools
import logging
from typing import Any

from . import forked, replica
from .store import Head

# A snapshot is written after at least this many operations, so loading a sandbox replays few of them;
# and for big worlds only after one operation per this many bytes of the last snapshot: pickling a world
# costs as much as the world, and paid every 500 writes it would make a write cost grow with the world.
# Snapshots are LZ4-compressed: a trimble fleet of 35,000 vehicles makes 665 KB in 75 ms, so one operation
# per 256 bytes (2,600 writes apart) puts about 30 µs on each write, some 3% of a batch POST's time, and a
# load replays at most those 2,600 operations (about half a second at that size).
SNAPSHOT_EVERY = 500
SNAPSHOT_BYTES_PER_OP = 256
# A snapshot is pickled by a forked child (engine/forked.py) once the last one took at least this many bytes: the
# server's thread then pauses only to fork, not to pickle the world (bench/snapshot_pause.py: at 100,000 trimble
# vehicles, 5.3 MB, 7-12 ms of CPU instead of 300-370; at 180,000, 9.4 MB, 10-15 instead of 560-620). Smaller ones
# are pickled in process: a fork costs 2 to 4 ms whatever the snapshot (it copies the page tables of the whole
# server), and the child 1.5 times the CPU of pickling in process (the pages it touches are copied), so below
# half a megabyte (some 25 ms of pickling, 10,000 vehicles) the pause it saves is not worth it.
FORK_SNAPSHOT_FROM = 512 * 1024

_log = logging.getLogger(__name__)


class SandboxSnapshots:
    """What a `Sandbox` does about snapshots (its lock, head, store and state are the sandbox's)."""

    def _snapshot_due(self) -> bool:
        version, size = self._last_snapshot
        due = self.head.version - version >= max(SNAPSHOT_EVERY, size // SNAPSHOT_BYTES_PER_OP)
        return due and not self._snapshotting

    def _save_snapshot(self) -> None:
        """Store a snapshot of this copy as it stands (under the lock, after a write): a big one pickled by a
        forked child and stored by a thread of its own once the child is done, so the write returns at once."""
        before = self._last_snapshot
        if before[1] >= FORK_SNAPSHOT_FROM and not self._fork_failed and forked.available():
            head, state = self.head, self._state()
            shared = self._shared_objects()
            self._snapshotting, self._last_snapshot = True, (head.version, before[1])  # not due again meanwhile
            done = functools.partial(self._forked_snapshot_done, head, before)
            if forked.start(lambda: replica.pickled(state, shared), done):
                return
            self._snapshotting, self._last_snapshot = False, before
        self._fork_failed = False
        self.store.save_snapshot(self.id, self.head, self.snapshot())

    def _forked_snapshot_done(self, head: Head, before: tuple[int, int], data: bytes | None) -> None:
        """Store what a child pickled at `head` (the store drops it if a newer snapshot or another life came
        since); if the child failed, the next write takes one again, in process."""
        try:
            if data is not None:
                self.store.save_snapshot(self.id, head, data)
        except Exception:  # noqa: BLE001 - no request waits for this: the ops it would have dropped stay
            _log.exception("a snapshot of sandbox %s could not be stored", self.id)
            data = None
        finally:
            with self.lock:
                self._snapshotting = False
                if self.head.generation == head.generation and self._last_snapshot[0] == head.version:
                    self._last_snapshot = (head.version, len(data)) if data is not None else before
                    self._fork_failed = data is None

    def _shared_objects(self) -> dict[str, Any]:
        return {"sandbox": self, "clock": self.clock}

    def snapshot(self) -> bytes:
        """Everything operations change, pickled (journal, events and deliveries live in the store)."""
        with self.lock:
            data = replica.dumps(self._state(), self._shared_objects())
            self._last_snapshot = (self.head.version, len(data))
            return data

    def _state(self) -> dict[str, Any]:
        """What a snapshot pickles: references to the live state, taken under the lock."""
        return {
            "clock": self.clock.state(),
            "rate_limits": self.rate_limits,
            "faults": self.faults,
            "subscriptions": self.webhooks.subscription_table(),
            "worlds": self.worlds,
            "grants": self._tokens.of_sandbox(self.id),
        }

    def restore(self, data: bytes) -> None:
        state = replica.loads(data, self._shared_objects())
        self.clock.set_state(state["clock"])
        self.rate_limits = state["rate_limits"]
        self.faults = state["faults"]
        self.webhooks.set_subscription_table(state["subscriptions"])
        self.worlds = state["worlds"]
        self._tokens.revoke_sandbox(self.id)
        for grant in state["grants"]:
            self._tokens.add(grant)
