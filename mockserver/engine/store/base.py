"""Store: where sandboxes live beyond one process; what every backend (memory, SQLite, Redis) provides."""

from __future__ import annotations

import logging
import pickle
import secrets
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

import lz4.frame

from ..ratelimit import Window

# Written into every durable store; a store of another format is refused, never rewritten.
# 2: snapshots in a table of their own (SQLite), worlds pickled with slots and listing indexes (issue 11).
# (Quota counters moved out of the snapshot into counters of their own; format-2 snapshots still load.)
FORMAT = "fleetbox.store/2"


def new_generation() -> int:
    """A generation number no earlier life of a sandbox id had (re-created or reset), so a process holding
    an old copy always notices."""
    return secrets.randbits(62)


class StoreError(Exception):
    """The store cannot be used at all (a file of another format, Redis unreachable at start-up)."""


class StoreUnavailable(Exception):
    """The store stopped answering while serving; clients get a 503 and may try again."""


@dataclass(frozen=True)
class Head:
    """Where a sandbox's history stands: `generation` changes on reset, import and re-creation,
    `version` with every operation."""

    generation: int
    version: int


@dataclass(frozen=True)
class Stored:
    """A sandbox as the store holds it: its description, its latest snapshot and the operations since."""

    head: Head
    meta: dict
    snapshot: bytes
    snapshot_version: int
    ops: list[tuple[int, bytes]]


# Records are trimmed to their bound every this many appends, not on each one.
TRIM_EVERY = 64


def trim_due(first: int, last: int) -> bool:
    """Whether appending the numbers `first`..`last` handed out a multiple of TRIM_EVERY."""
    return last // TRIM_EVERY > (first - 1) // TRIM_EVERY


def pack_record(item: Any) -> bytes:
    """A record as the durable stores keep it: pickled, then LZ4-compressed (a journal entry holds up to
    two 16 KiB bodies; compressed it takes a quarter of the pages, for a fifth of what writing them costs)."""
    return lz4.frame.compress(pickle.dumps(item, 5))


def unpack_record(data: bytes) -> Any:
    # Records written before compression are bare pickles (protocol 5 starts with 0x80, LZ4 with 0x04).
    return pickle.loads(lz4.frame.decompress(data) if data[:4] == _LZ4_MAGIC else data)


_LZ4_MAGIC = b"\x04\x22\x4d\x18"


class Writer(ABC):
    """One sandbox held for writing by this thread (every other writer, in any process, waits)."""

    head: Head

    @abstractmethod
    def append(self, op: bytes) -> int:
        """Record one operation; its version, which is also the sandbox's new version."""

    @abstractmethod
    def index_token(self, token: str) -> None:
        """Note that `token` belongs to this sandbox, so any process can find it."""


class Records(ABC):
    """One bounded, append-mostly log of one sandbox (its journal, events or webhook deliveries).

    Items get increasing numbers (`seq`) that never repeat, also after `clear`; only the latest
    `bound` items are kept.
    """

    def append(self, make: Callable[[int], Any]) -> Any:
        """Append `make(seq)` under the next number; returns the item."""
        return self.append_all([make])[0]

    @abstractmethod
    def append_all(self, makes: list[Callable[[int], Any]]) -> list[Any]:
        """Append `make(seq)` for each of `makes`, under consecutive numbers; returns the items."""

    @abstractmethod
    def put(self, seq: int, item: Any) -> None:
        """Replace the item numbered `seq` (a delivery after another attempt); gone items stay gone."""

    @abstractmethod
    def items(self, since: int = 0) -> list[Any]:
        """The kept items numbered after `since`, oldest first."""

    @abstractmethod
    def clear(self) -> None:
        """Forget every item (numbering goes on)."""

    def append_later(self, make: Callable[[int], Any]) -> None:
        """Append off the request path where the backend can (the journal); readers in this process
        still see it, other processes within `Deferred.INTERVAL`."""
        self.append(make)


class Deferred:
    """Appends collected from requests and written by one background thread in batches, one transaction
    (or round of commands) each, so a request does not wait for a commit of its own journal entry."""

    INTERVAL = 0.02

    def __init__(self, batch: Callable[[], AbstractContextManager]) -> None:
        self._batch = batch
        self._pending: list[tuple[Records, Callable[[int], Any]]] = []
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._thread: threading.Thread | None = None

    def add(self, records: Records, make: Callable[[int], Any]) -> None:
        with self._lock:
            self._pending.append((records, make))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="fleetbox-store-writer", daemon=True)
                self._thread.start()

    def flush(self) -> None:
        """Write what is pending now (readers call this first, so they see their own process's entries)."""
        if not self._pending and not self._writing.locked():
            return  # nothing queued and no batch on its way in: nothing a reader could miss
        try:
            # The store's write transaction first, then the queue: the order every writer takes them in, so a
            # flush from inside an operation's transaction cannot wait for this thread's batch, nor it for that.
            with self._batch(), self._writing:
                with self._lock:
                    pending, self._pending = self._pending, []
                # One numbering and one write per log, not per entry.
                logs: dict[int, tuple[Records, list[Callable[[int], Any]]]] = {}
                for records, make in pending:
                    logs.setdefault(id(records), (records, []))[1].append(make)
                for records, makes in logs.values():
                    records.append_all(makes)
        except StoreUnavailable:
            pass  # the store is away: these entries are lost, the requests they describe were answered

    def _run(self) -> None:
        while True:
            time.sleep(self.INTERVAL)
            try:
                self.flush()
            except Exception:  # noqa: BLE001 - the writer thread must outlive any one batch
                logging.getLogger(__name__).exception("deferred store writes failed")


class Store(ABC):
    """The sandboxes of one or many fleetbox processes: their histories, indexes and records."""

    url: str
    # True when other processes may change what this one sees (every backend but memory).
    shared: bool = True

    # --- sandboxes -----------------------------------------------------------------------------

    @abstractmethod
    def ids(self) -> list[str]:
        """Every stored sandbox id."""

    @abstractmethod
    def head(self, sandbox_id: str) -> Head | None:
        """The sandbox's head, or None when no such sandbox is stored. Asked before every request,
        so it must cost a small constant."""

    @abstractmethod
    def load(self, sandbox_id: str) -> Stored | None:
        """The sandbox's description, latest snapshot and every operation after it."""

    @abstractmethod
    def ops_since(self, sandbox_id: str, head: Head) -> list[tuple[int, bytes]] | None:
        """The operations after `head`, in order; None when `head`'s generation is gone."""

    @abstractmethod
    def create(
        self, sandbox_id: str, meta: dict, snapshot: Callable[[], bytes], keys: Iterable[tuple[str, str]]
    ) -> Head | None:
        """Store a new sandbox and answer its head (version 0 of a new generation); None when the id is taken.
        `keys` are the (profile, credential key) pairs that find it."""

    @abstractmethod
    def replace(
        self, sandbox_id: str, meta: dict, snapshot: Callable[[], bytes], keys: Iterable[tuple[str, str]]
    ) -> Head:
        """Start the sandbox over (reset, import): a new generation from `snapshot`, its operations,
        tokens, keys and records dropped."""

    @abstractmethod
    def delete(self, sandbox_id: str) -> None:
        """Forget the sandbox and everything of it."""

    @abstractmethod
    def save_snapshot(self, sandbox_id: str, head: Head, snapshot: bytes) -> None:
        """Keep `snapshot` as the state at `head`, so loading replays only what came after it."""

    @abstractmethod
    @contextmanager
    def write(self, sandbox_id: str) -> Iterator[Writer]:
        """Hold the sandbox for one operation; whatever the writer appended is durable on exit."""

    # --- indexes -------------------------------------------------------------------------------

    @abstractmethod
    def key_owner(self, profile: str, key: str) -> str | None:
        """The sandbox whose `profile` credentials include `key`."""

    @abstractmethod
    def token_owner(self, token: str) -> str | None:
        """The sandbox that issued `token`."""

    # --- counters ------------------------------------------------------------------------------

    @abstractmethod
    def tally(self, sandbox_id: str, key: str, change: Callable[[Window | None], Window]) -> Window:
        """Atomically replace the sandbox's counter `key` by `change(counter)` (None when there is none yet);
        returns the new value. Not an operation: no version, nothing to replay, so a quota costs every
        request one small write instead of one recorded operation. Counters go with the sandbox's life."""

    # --- records -------------------------------------------------------------------------------

    @abstractmethod
    def records(self, sandbox_id: str, kind: str, bound: int) -> Records:
        """The sandbox's log of `kind` ("journal", "events", "deliveries"), keeping `bound` items."""

    def close(self) -> None:  # noqa: B027 - most backends have nothing to let go of
        """Let go of connections and files."""
