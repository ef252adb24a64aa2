"""Sandbox: one isolated tenant, with its own worlds (one per profile), clock, journal, quotas, faults,
events, webhooks and lock; kept in step with its history in the store."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from . import replica
from .clock import VirtualClock
from .events import MAX_EVENTS, Event, EventLog
from .faults import FaultBook
from .journal import MAX_ENTRIES, Journal
from .ratelimit import RateDecision, RateLimit, RateLimiter
from .replica import Op, Pinned
from .snapshots import SandboxSnapshots
from .store import Head, Store
from .tokens import Grant, TokenBook
from .webhooks import MAX_DELIVERIES, Dispatcher, Formatter, Webhooks
from .writes import SandboxWrites


class World(Protocol):
    """A profile's state inside one sandbox."""

    def credentials(self) -> Any:
        """The credentials the control plane shows for this profile."""

    def credential_keys(self) -> Iterable[str]:
        """Secrets that identify this sandbox when a client presents them (API keys, client ids)."""

    def export(self) -> dict:
        """The world as a plain document its profile can load again."""


@dataclass(frozen=True)
class WorldFactory:
    """How a profile makes its world: generated from a seed and size, or loaded from a document."""

    generate: Callable[[int, int], dict]
    load: Callable[[dict, Sandbox], World]
    # The world `load(generate(seed, size), sandbox)` gives, built without the document (a big world's
    # document costs as much as the world); None: through the document.
    build: Callable[[int, int, Sandbox], World] | None = None

    def make(self, seed: int, size: int, sandbox: Sandbox) -> World:
        """The generated world of `seed` and `size`, for `sandbox`."""
        if self.build is not None:
            return self.build(seed, size, sandbox)
        return self.load(self.generate(seed, size), sandbox)


@dataclass(frozen=True)
class Services:
    """What a server gives each of its sandboxes: the token book, default quotas, webhook delivery."""

    tokens: TokenBook
    store: Store
    rate_limits: dict[str, RateLimit]
    dispatcher: Dispatcher
    formatters: dict[str, Formatter]
    webhook_hosts: frozenset[str] = frozenset()


class SandboxGone(Exception):
    """The sandbox was deleted (by this process or another one)."""


class Sandbox(SandboxWrites, SandboxSnapshots):
    """A tenant. Its operations run one at a time under `lock`; each write is recorded in the store
    (`writes`), and before serving, `sync` applies what other processes recorded."""

    def __init__(self, sandbox_id: str, meta: dict, services: Services) -> None:
        self.id = sandbox_id
        self.meta = meta
        self.store = services.store
        self.head = Head(1, 0)
        self._last_snapshot = (0, 0)  # the version and size of the last snapshot this copy wrote or read
        self._snapshotting = False  # a child pickles one now (one at a time)
        self._fork_failed = False  # the last child failed: the next snapshot is pickled in process
        self.clock = VirtualClock()
        self.journal = Journal(self.store.records(sandbox_id, "journal", MAX_ENTRIES))
        self.rate_limits = RateLimiter(services.rate_limits)
        self.faults = FaultBook()
        self.webhooks = Webhooks(
            services.dispatcher,
            services.formatters,
            self.clock.now,
            services.webhook_hosts,
            self.store.records(sandbox_id, "deliveries", MAX_DELIVERIES),
        )
        self.events = EventLog(self.store.records(sandbox_id, "events", MAX_EVENTS))
        # Called with every event this process raises, once it is durable (webhooks; AMQP may join).
        self.listeners: list[Callable[[Event], None]] = [self.webhooks.on_event]
        # Message brokers the server also delivers this sandbox's events to, by profile (invers/amqp.py).
        self.event_buses: dict[str, Any] = {}
        # Re-entrant so a domain method may call another one of the same sandbox.
        self.lock = threading.RLock()
        self.worlds: dict[str, World] = {}
        self._tokens = services.tokens
        self._op: Op | None = None
        self._replaying = False
        self._writer = None
        self._raised: list[Event] = []

    # --- what the sandbox was made from --------------------------------------------------------

    @property
    def seed(self) -> int:
        return self.meta["seed"]

    @property
    def size(self) -> int:
        return self.meta["size"]

    @property
    def created_at(self) -> datetime:
        return datetime.fromisoformat(self.meta["createdAt"])

    @property
    def epoch(self) -> str:
        """Different for every world this sandbox ever had (reset, import), so ETags never repeat."""
        return self.meta["epoch"]

    @property
    def access_key(self) -> str:
        """The bearer that lets a control-plane client act on this sandbox alone (control/access.py); kept
        in the store with the sandbox, and through reset and import."""
        return self.meta["accessKey"]

    def count_request(self, profile: str, client: str) -> RateDecision | None:
        """Count one request against the profile's quota, in the store's counters (None without a quota)."""
        return self.rate_limits.hit(profile, client, self.clock.now(), self._tally)

    def _tally(self, key: str, change: Callable) -> Any:
        return self.store.tally(self.id, key, change)

    def world(self, profile: str) -> Any:
        return self.worlds[profile]

    def now(self) -> datetime:
        return self.clock.now()

    # --- writes: recorded, replayed elsewhere --------------------------------------------------------

    def run_write(self, target: str, function: Callable, owner: Any, args: tuple, kwargs: dict) -> Any:
        """Run one write operation: after catching up with the store, under its write hold, recorded."""
        with self.lock:
            if self._op is not None:  # inside another operation (or its replay): part of it
                return function(owner, *args, **kwargs)
            raised: list[Event] = []
            failure: Exception | None = None
            with self.store.write(self.id) as writer:
                if self.store.shared and writer.head != self.head:
                    self._catch_up(writer.head)
                op = Op.now(target, function.__name__, args, kwargs)
                self._op, self._writer, self._raised = op, writer, raised
                try:
                    with Pinned(op):
                        result = function(owner, *args, **kwargs)
                except Exception as error:
                    # Recorded and committed all the same: it may have changed something before it failed, and
                    # it fails alike where it is replayed. Raised through the store's hold, it would roll the
                    # record back and leave this copy a version ahead (the next request would reload it all).
                    failure = error
                finally:
                    self._op, self._writer, self._raised = None, None, []
                    if self.store.shared:
                        self._record(writer, op)
            if failure is not None:
                raise failure
            for event in raised:
                for listener in self.listeners:
                    listener(event)
            if self.store.shared and self._snapshot_due():
                self._save_snapshot()
            return result

    def _record(self, writer, op: Op) -> None:
        try:
            writer.append(replica.dump_op(op))
        except Exception:
            # This copy has run an operation the store does not hold: it may no longer be trusted.
            self.head = Head(-1, -1)
            raise
        self.head = writer.head

    def _catch_up(self, head: Head) -> None:
        same_life = head.generation == self.head.generation and head.version >= self.head.version
        ops = self.store.ops_since(self.id, self.head) if same_life else None
        if ops is None or (ops and ops[0][0] != self.head.version + 1):
            self.reload()
            return
        for version, data in ops:
            self._replay(replica.load_op(data))
            self.head = Head(head.generation, version)

    def _replay(self, op: Op) -> None:
        owner = self if not op.target else self.worlds[op.target]
        method = getattr(type(owner), op.method)
        function = getattr(method, "__replayed__", method)
        self._op, self._replaying = op, True
        try:
            with Pinned(op):
                function(owner, *op.args, **op.kwargs)
        except Exception:  # noqa: S110 - it failed the same way where it first ran, and was answered there
            pass
        finally:
            self._op, self._replaying = None, False

    def sync(self) -> None:
        """Apply what other processes recorded since this copy last looked; `SandboxGone` if deleted."""
        if not self.store.shared:
            return
        head = self.store.head(self.id)
        if head is None:
            raise SandboxGone(self.id)
        if head != self.head:
            with self.lock:
                self._catch_up(head)

    def reload(self) -> None:
        """Take the store's copy: its snapshot, then every operation after it."""
        stored = self.store.load(self.id)
        if stored is None:
            raise SandboxGone(self.id)
        with self.lock:
            self.meta = stored.meta
            self.restore(stored.snapshot)
            self._last_snapshot = (stored.snapshot_version, len(stored.snapshot))
            self.head = Head(stored.head.generation, stored.snapshot_version)
            for version, data in stored.ops:
                self._replay(replica.load_op(data))
                self.head = Head(stored.head.generation, version)

    # --- what worlds call ---------------------------------------------------------------------------

    def issue_token(
        self,
        profile: str,
        subject: Any,
        lifetime: timedelta,
        mint: Callable[[datetime, datetime], str] | None = None,
        roles: Iterable[str] = (),
        principal: str = "",
    ) -> Grant:
        """Issue a token bound to this sandbox, expiring `lifetime` from now on its clock.

        `mint(issued_at, expires_at)` makes the token string in the vendor's style; by default it is
        an opaque random string.
        """
        issued_at = self.clock.now()
        expires_at = issued_at + lifetime
        grant = Grant(
            token=mint(issued_at, expires_at) if mint else replica.token(32),
            sandbox_id=self.id,
            profile=profile,
            subject=subject,
            issued_at=issued_at,
            expires_at=expires_at,
            roles=frozenset(roles),
            principal=principal,
        )
        if self._writer is not None:
            self._writer.index_token(grant.token)
        return self._tokens.add(grant)

    def publish(
        self,
        profile: str,
        type_: str,
        audience: str | Iterable[str],
        payload: dict | Callable[[str], dict],
        request_id: str | None = None,
        occurred_at: datetime | None = None,
    ) -> list[Event]:
        """Record an event of a world, one per audience (and deliver each to matching webhooks).

        This is how every world publishes. `payload` is the event's data, or a function giving each
        audience its own view of it (an INVERS fleet sees a sharing from its side). `occurred_at`,
        now by default, dates events found late, such as a sharing whose end passed before anyone looked.
        Replayed operations raise nothing: the process that first ran them did.
        """
        if self._replaying:
            return []
        audiences = (audience,) if isinstance(audience, str) else tuple(audience)
        when = occurred_at or self.now()
        events = [
            self.events.publish(profile, type_, each, when, payload(each) if callable(payload) else payload, request_id)
            for each in audiences
        ]
        if self._op is not None:
            self._raised.extend(events)  # delivered once the operation is durable
        else:
            for event in events:
                for listener in self.listeners:
                    listener(event)
        return events


def atomic(method: Callable) -> Callable:
    """A world's read: run under its sandbox's lock, so it sees whole operations."""

    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self.sandbox.lock:
            return method(self, *args, **kwargs)

    return locked
