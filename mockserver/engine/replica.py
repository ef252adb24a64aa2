"""What makes a sandbox's operations repeatable in another process: each runs at a pinned instant with a
seeded random source, so replaying the recorded call there changes that process's copy the same way.

A write is recorded as an `Op` (which part of the sandbox, which method, its arguments, the instant and
the seed) and appended to the store; every other process applies the ops it has not seen, in order.
Snapshots (`dumps`/`loads`) are the replicated state pickled, so loading replays only what followed them.
"""

from __future__ import annotations

import copyreg
import itertools
import operator
import pickle
import random
import secrets
import threading
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import lz4.frame

from fixtures.quiet import collector_paused, release_free_memory

_pinned = threading.local()
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def compact_instant(at: datetime) -> int | datetime:
    """A UTC instant as microseconds since the epoch, any other as it is: what every write and journal entry
    pickles, where an aware datetime costs three objects and a reducer call, an int one."""
    return (at - _EPOCH) // _MICROSECOND if at.tzinfo is UTC else at


def instant_of(value: int | datetime) -> datetime:
    """The instant `compact_instant` wrote."""
    return _EPOCH + value * _MICROSECOND if isinstance(value, int) else value


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
        # Its fields in order, the instant compacted: a slots dataclass's own reduction runs Python code per
        # field, for every write. (Ops pickled before name `Op` itself with a datetime, and still load.)
        return _op, (self.target, self.method, self.args, self.kwargs, compact_instant(self.real_time), self.seed)

    @classmethod
    def now(cls, target: str, method: str, args: tuple, kwargs: dict) -> Op:
        return cls(target, method, args, kwargs, datetime.now(UTC), secrets.randbits(128))


def _op(target: str, method: str, args: tuple, kwargs: dict, real_time: int | datetime, seed: int) -> Op:
    """A pickled `Op` back (stored ops name this function: it keeps its name and signature)."""
    return Op(target, method, args, kwargs, instant_of(real_time), seed)


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
    """Pickle `state`, writing each object of `shared` as its name (and each lock as a new lock); LZ4-compressed."""
    with collector_paused():  # the reducers of a big world allocate millions of short-lived tuples
        data = pickled(state, shared)
    if len(data) > _TRIM_AFTER:
        release_free_memory()
    return data


def pickled(state: Any, shared: dict[str, Any]) -> bytes:
    """What `dumps` writes, taking no lock and handing nothing back: what a forked child runs (engine/forked.py),
    where a lock another thread held at the fork stays held for good."""
    names = {id(obj): name for name, obj in shared.items()}

    def named_or_copied(obj: Any) -> Any:
        name = names.get(id(obj))
        return (_shared, (name,)) if name is not None else obj.__reduce_ex__(5)

    out = _Compressing()
    pickler = pickle.Pickler(out, protocol=5)
    table = copyreg.dispatch_table.copy()
    table.update({type(obj): named_or_copied for obj in shared.values()})
    table.update({lock_type: (lambda _lock, new=new: (new, ())) for lock_type, new in _LOCK_TYPES.items()})
    pickler.dispatch_table = table
    pickler.dump(state)
    # The pickler's memo holds every object it wrote (a big world's columns among them): let go before the
    # compressed chunks are joined, so the two are not held at once.
    del pickler
    return out.finish()


class _Compressing:
    """What the pickler writes (frames of 64 KiB), LZ4-compressed as it comes: a big world's pickle never exists
    whole (it would take a hundred megabytes, twice over while a buffer grows), only the third or half of it
    the store is given, at a small fraction of what pickling costs."""

    def __init__(self) -> None:
        self._compressor = lz4.frame.LZ4FrameCompressor()
        self._chunks = [self._compressor.begin()]

    def write(self, data: bytes) -> int:
        self._chunks.append(self._compressor.compress(data))
        return len(data)

    def finish(self) -> bytes:
        self._chunks.append(self._compressor.flush())
        data = b"".join(self._chunks)
        self._chunks = []
        return data


# A snapshot of a big world leaves the columns, the pickler's memo and the chunks behind, freed but still counted
# in the process's memory (glibc keeps freed heap pages): past this size they are handed back.
_TRIM_AFTER = 4 * 2**20


def loads(data: bytes, shared: dict[str, Any]) -> Any:
    """The state `dumps` wrote, its named objects taken from `shared` (snapshots from before compression, bare
    pickles, load too: protocol 5 starts with 0x80, an LZ4 frame with its magic number)."""
    if data[:4] == _LZ4_MAGIC:
        data = lz4.frame.decompress(data)
    token = _LOADING.set(shared)
    try:
        with collector_paused():  # a world's millions of objects, none of them garbage
            return pickle.loads(data)
    finally:
        _LOADING.reset(token)


_LZ4_MAGIC = b"\x04\x22\x4d\x18"


def dump_op(op: Op) -> bytes:
    return pickle.dumps(op, 5)


def load_op(data: bytes) -> Op:
    return pickle.loads(data)


# --- columns: what big worlds pickle instead of an object per record ----------------------------------
# Pickling an object runs its reducer (Python code, or a datetime's C one) and memoizes it: microseconds
# each, millions of times in a world of 100,000 vehicles per account. A world pickles its big tables as a
# few lists per table instead (see the profiles' `__getstate__`), built and read with these helpers.


def columns(records: list, fields: tuple[str, ...], times: frozenset[str] = frozenset()) -> list:
    """One list per field of `records` (attributes), in order; the fields named in `times` hold datetimes (or
    None), packed by `instants`."""
    return [
        instants([getattr(record, name) for record in records]) if name in times else
        list(map(operator.attrgetter(name), records))
        for name in fields
    ]  # fmt: skip


def columns_of(packed: list, fields: tuple[str, ...], times: frozenset[str] = frozenset()) -> list[list]:
    """The lists `columns` packed (`map(Record, *columns_of(...))` makes the records again)."""
    return [instants_of(column) if name in times else column for name, column in zip(fields, packed, strict=True)]


def instants(column: list) -> tuple:
    """A column of datetimes (and Nones) as the ten bytes of each one's pickled state, all in one `bytes`: of each
    item in order, or where items repeat of each distinct instant once, and then (or if any is None) an index
    per item (-1: None). Where that would not be exact (instants in different zones, as equal ones would become
    one another; a fold) the column goes as it is. C-level maps throughout: a big world has millions of them."""
    ids = list(map(id, column))
    # A big world's items share their datetimes (fixtures draw instants on a grid): matched up by identity (exact,
    # and an int hashes at a fraction of a datetime's cost), each goes once, and the loaded items share them again.
    objects = dict(zip(ids, column, strict=True))
    if len(objects) <= len(column) * _SHARED:
        objects.pop(id(None), None)
        distinct = list(objects.values())
        if len(set(map(id, map(_TZINFO, distinct)))) > 1 or any(map(_FOLD, distinct)):
            return (column,)
        at = dict(zip(objects, itertools.count()))
        at[id(None)] = -1
        return _stamps(distinct), distinct[0].tzinfo if distinct else None, list(map(at.__getitem__, ids))
    present = [when for when in column if when is not None] if None in column else column
    zones = set(map(id, map(_TZINFO, present)))
    if len(zones) > 1 or any(map(_FOLD, present)):
        return (column,)
    zone = present[0].tzinfo if present else None
    # Hashing an aware datetime costs more than writing it: items are only matched up where a sample repeats.
    if len(set(present[:_SAMPLE])) > min(len(present), _SAMPLE) * 0.9:
        if present is column:
            return _stamps(column), zone, None
        counter = itertools.count()
        return _stamps(present), zone, [-1 if when is None else next(counter) for when in column]
    distinct = list(dict.fromkeys(present))
    at = {when: position for position, when in enumerate(distinct)}
    at[None] = -1
    return _stamps(distinct), zone, list(map(at.__getitem__, column))


def _stamps(items: list[datetime]) -> bytes:
    # A datetime's reducer costs microseconds; its state is `__reduce__()[1][0]`, and `datetime(state, zone)`
    # (what unpickling calls) makes it again.
    return b"".join(map(_STATE, map(_ARGS, map(_REDUCE, items))))


def instants_of(packed: tuple) -> list:
    """The column `instants` packed (items that held equal instants share one datetime)."""
    if len(packed) == 1:
        return packed[0]
    stamps, zone, index = packed
    ends = range(_STAMP, len(stamps) + 1, _STAMP)
    states = map(stamps.__getitem__, map(slice, range(0, len(stamps), _STAMP), ends))
    distinct = list(map(datetime, states, itertools.repeat(zone)) if zone is not None else map(datetime, states))
    if index is None:
        return distinct
    distinct.append(None)  # index -1
    return list(map(distinct.__getitem__, index))


_STAMP = 10  # bytes of a datetime's pickled state
_SAMPLE = 1000
# Items per distinct datetime object below which a column is written by object, each once.
_SHARED = 0.75
_TZINFO, _FOLD = operator.attrgetter("tzinfo"), operator.attrgetter("fold")
_REDUCE, _ARGS, _STATE = operator.methodcaller("__reduce__"), operator.itemgetter(1), operator.itemgetter(0)
