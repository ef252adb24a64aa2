"""What makes a sandbox's operations repeatable in another process: each runs at a pinned instant with a
seeded random source, so replaying the recorded call there changes that process's copy the same way.

A write is recorded as an `Op` (which part of the sandbox, which method, its arguments, the instant and
the seed) and appended to the store; every other process applies the ops it has not seen, in order.
Snapshots (`dumps`/`loads`) are the replicated state pickled, so loading replays only what followed them.
"""

from __future__ import annotations

import copyreg
import io
import pickle
import random
import secrets
import threading
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

_pinned = threading.local()


@dataclass(frozen=True, slots=True)
class Op:
    """One recorded write: `target` is "" for the sandbox itself, else the profile whose world it changes."""

    target: str
    method: str
    args: tuple
    kwargs: dict
    real_time: datetime
    seed: int

    def __reduce__(self):
        # Its fields in order: a slots dataclass's own reduction runs Python code per field, for every write.
        return Op, (self.target, self.method, self.args, self.kwargs, self.real_time, self.seed)

    @classmethod
    def now(cls, target: str, method: str, args: tuple, kwargs: dict) -> Op:
        return cls(target, method, args, kwargs, datetime.now(UTC), secrets.randbits(128))


class Pinned:
    """The environment of one operation on this thread: the real time it happened and its random source."""

    __slots__ = ("real_time", "_seed", "_random", "_outer")

    def __init__(self, op: Op) -> None:
        self.real_time = op.real_time
        self._seed = op.seed
        self._random: random.Random | None = None

    @property
    def random(self) -> random.Random:
        """Made on first use: seeding a generator costs more than most operations that need none."""
        if self._random is None:
            self._random = random.Random(self._seed)
        return self._random

    def __enter__(self) -> Pinned:
        self._outer = getattr(_pinned, "current", None)
        _pinned.current = self
        return self

    def __exit__(self, *exc) -> None:
        _pinned.current = self._outer


def current() -> Pinned | None:
    """The operation running on this thread, if any."""
    return getattr(_pinned, "current", None)


def real_now() -> datetime:
    """The machine's time in UTC, or the pinned instant while an operation runs (so replays agree)."""
    pinned = getattr(_pinned, "current", None)
    return pinned.real_time if pinned is not None else datetime.now(UTC)


def rng() -> random.Random:
    """The running operation's random source; outside operations, a fresh unpredictable one."""
    pinned = getattr(_pinned, "current", None)
    return pinned.random if pinned is not None else random.Random(secrets.randbits(128))


def token(nbytes: int = 32) -> str:
    """An unguessable URL-safe string, the same in every replay of the operation that made it."""
    import base64

    return base64.urlsafe_b64encode(rng().randbytes(nbytes)).rstrip(b"=").decode()


def new_uuid() -> str:
    """A random (version 4) UUID, repeatable like `token`."""
    import uuid

    return str(uuid.UUID(int=rng().getrandbits(128), version=4))


# --- snapshots -------------------------------------------------------------------------------------

# Objects a snapshot refers to by name instead of copying: the sandbox that holds the state (and what it
# shares with its server), rebuilt by the loader. They are found through the pickler's dispatch table,
# which the C pickler consults by type, rather than a `persistent_id` hook, which it would call back into
# Python for every object of the world (that made a snapshot of a big world take seconds).
_LOCK_TYPES = {type(threading.Lock()): threading.Lock, type(threading.RLock()): threading.RLock}
_LOADING: ContextVar[dict[str, Any]] = ContextVar("fleetbox.replica.loading")


def _shared(name: str) -> Any:
    """What the loader names `name` (called by the unpickler)."""
    return _LOADING.get()[name]


def dumps(state: Any, shared: dict[str, Any]) -> bytes:
    """Pickle `state`, writing each object of `shared` as its name (and each lock as a new lock)."""
    names = {id(obj): name for name, obj in shared.items()}

    def named_or_copied(obj: Any) -> Any:
        name = names.get(id(obj))
        return (_shared, (name,)) if name is not None else obj.__reduce_ex__(5)

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    table = copyreg.dispatch_table.copy()
    table.update({type(obj): named_or_copied for obj in shared.values()})
    table.update({lock_type: (lambda _lock, new=new: (new, ())) for lock_type, new in _LOCK_TYPES.items()})
    pickler.dispatch_table = table
    pickler.dump(state)
    return buffer.getvalue()


def loads(data: bytes, shared: dict[str, Any]) -> Any:
    """The state `dumps` wrote, its named objects taken from `shared`."""
    token = _LOADING.set(shared)
    try:
        return pickle.loads(data)
    finally:
        _LOADING.reset(token)


def dump_op(op: Op) -> bytes:
    return pickle.dumps(op, 5)


def load_op(data: bytes) -> Op:
    return pickle.loads(data)
