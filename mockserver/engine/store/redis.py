"""RedisStore: sandboxes in a Redis database, shared by every worker and instance that names it."""

from __future__ import annotations

import contextlib
import functools
import json
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import redis

from ..ratelimit import Window
from .base import (
    FORMAT,
    Deferred,
    Head,
    Records,
    Store,
    Stored,
    StoreError,
    StoreUnavailable,
    Writer,
    new_generation,
    pack_record,
    trim_due,
    unpack_record,
)

PREFIX = "fleetbox:"
# A writer that dies holding a sandbox frees it after this long; no operation takes nearly as much.
LOCK_MS = 10_000
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


def _answering(method: Callable) -> Callable:
    """Redis gone while serving is a 503 for the client, not a 500 and not a hang (timeouts are short)."""

    @functools.wraps(method)
    def call(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError) as error:
            raise StoreUnavailable(f"Redis does not answer: {error}") from None

    call.__wrapped_generator__ = method
    return call


def _k(*parts: str) -> str:
    return PREFIX + ":".join(parts)


class RedisStore(Store):
    def __init__(self, url: str) -> None:
        self.url = url
        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=5)
        self._release = self._redis.register_script(_RELEASE)
        self.deferred = Deferred(contextlib.nullcontext)
        try:
            self._check_or_initialise()
        except (redis.ConnectionError, redis.TimeoutError) as error:
            raise StoreError(f"Redis at {url} does not answer: {error}") from None

    def _check_or_initialise(self) -> None:
        found = self._redis.get(_k("format"))
        if found is None:
            if self._redis.dbsize():
                raise StoreError(
                    f"The Redis database {self.url} holds data that is not fleetbox's; it was left untouched. "
                    "Name an empty database (redis://HOST:PORT/DB)."
                )
            self._redis.set(_k("format"), FORMAT)
        elif found.decode() != FORMAT:
            raise StoreError(
                f"The Redis database {self.url} holds a fleetbox store of format {found.decode()!r}, not {FORMAT!r}; "
                "it was left untouched."
            )

    # --- sandboxes -----------------------------------------------------------------------------

    @_answering
    def ids(self) -> list[str]:
        return [i.decode() for i in self._redis.zrange(_k("ids"), 0, -1)]

    @_answering
    def head(self, sandbox_id: str) -> Head | None:
        generation, version = self._redis.hmget(_k("sbx", sandbox_id), "generation", "version")
        return None if generation is None else Head(int(generation), int(version))

    @_answering
    def load(self, sandbox_id: str) -> Stored | None:
        for _ in range(5):  # a snapshot saved while reading: read again
            fields = self._redis.hgetall(_k("sbx", sandbox_id))
            if not fields:
                return None
            head = Head(int(fields[b"generation"]), int(fields[b"version"]))
            snapshot_version = int(fields[b"snapshot_version"])
            ops = self._ops(sandbox_id, snapshot_version, head.version)
            if ops is not None:
                meta = json.loads(fields[b"meta"])
                return Stored(head, meta, fields[b"snapshot"], snapshot_version, ops)
        raise StoreUnavailable(f"the sandbox {sandbox_id!r} changed too fast to be read")

    def _ops(self, sandbox_id: str, after: int, upto: int) -> list[tuple[int, bytes]] | None:
        if upto <= after:
            return []
        versions = list(range(after + 1, upto + 1))
        blobs = self._redis.hmget(_k("ops", sandbox_id), versions)
        if any(blob is None for blob in blobs):
            return None
        return list(zip(versions, blobs, strict=True))

    @_answering
    def ops_since(self, sandbox_id: str, head: Head) -> list[tuple[int, bytes]] | None:
        current = self.head(sandbox_id)
        if current is None or current.generation != head.generation:
            return None
        return self._ops(sandbox_id, head.version, current.version)

    @_answering
    def create(
        self, sandbox_id: str, meta: dict, snapshot: Callable[[], bytes], keys: Iterable[tuple[str, str]]
    ) -> Head | None:
        key = _k("sbx", sandbox_id)
        head = Head(new_generation(), 0)
        fields = {
            "generation": head.generation,
            "version": 0,
            "meta": json.dumps(meta),
            "snapshot": snapshot(),
            "snapshot_version": 0,
        }
        # Claimed first, so two instances creating one id cannot both succeed; readers see the row whole.
        if not self._redis.set(_k("claim", sandbox_id), 1, nx=True):
            return None
        with self._redis.pipeline() as pipe:
            pipe.hset(key, mapping=fields)
            pipe.zadd(_k("ids"), {sandbox_id: time.time()}, nx=True)
            self._index_keys(pipe, sandbox_id, keys)
            pipe.execute()
        return head

    @_answering
    def replace(
        self, sandbox_id: str, meta: dict, snapshot: Callable[[], bytes], keys: Iterable[tuple[str, str]]
    ) -> Head:
        self.deferred.flush()  # entries queued for the old life go in before it ends
        blob = snapshot()
        with self._locked(sandbox_id):
            version = self._redis.hget(_k("sbx", sandbox_id), "version")
            head = Head(new_generation(), int(version or 0))
            with self._redis.pipeline() as pipe:
                self._forget(pipe, sandbox_id, keep_row=True)
                pipe.hset(
                    _k("sbx", sandbox_id),
                    mapping={
                        "generation": head.generation,
                        "version": head.version,
                        "meta": json.dumps(meta),
                        "snapshot": blob,
                        "snapshot_version": head.version,
                    },
                )
                pipe.zadd(_k("ids"), {sandbox_id: time.time()}, nx=True)
                self._index_keys(pipe, sandbox_id, keys)
                pipe.execute()
        return head

    @_answering
    def delete(self, sandbox_id: str) -> None:
        self.deferred.flush()  # entries queued for the old life go in before it ends
        with self._locked(sandbox_id), self._redis.pipeline() as pipe:
            self._forget(pipe, sandbox_id, keep_row=False)
            pipe.execute()

    def _forget(self, pipe, sandbox_id: str, keep_row: bool) -> None:
        for listed, prefix in ((_k("keys", sandbox_id), "key"), (_k("tokens", sandbox_id), "token")):
            names = [_k(prefix, name.decode()) for name in self._redis.smembers(listed)]
            if names:
                pipe.delete(*names)
            pipe.delete(listed)
        records = [name for name in self._redis.scan_iter(_k("rec", sandbox_id, "*"))]
        if records:
            pipe.delete(*records)
        pipe.delete(_k("ops", sandbox_id), _k("tally", sandbox_id))
        if not keep_row:
            pipe.delete(_k("sbx", sandbox_id), _k("claim", sandbox_id))
            pipe.zrem(_k("ids"), sandbox_id)
            pipe.delete(*[_k("seq", sandbox_id, kind) for kind in ("journal", "events", "deliveries")])

    @staticmethod
    def _index_keys(pipe, sandbox_id: str, keys: Iterable[tuple[str, str]]) -> None:
        for profile, key in keys:
            pipe.set(_k("key", f"{profile}:{key}"), sandbox_id)
            pipe.sadd(_k("keys", sandbox_id), f"{profile}:{key}")

    @_answering
    def save_snapshot(self, sandbox_id: str, head: Head, snapshot: bytes) -> None:
        with self._locked(sandbox_id):
            generation, kept = self._redis.hmget(_k("sbx", sandbox_id), "generation", "snapshot_version")
            # A process that fell behind must not put an older snapshot in the place of a newer one: the
            # operations between the two are gone, and every load would fail.
            if generation is None or int(generation) != head.generation or int(kept) >= head.version:
                return
            with self._redis.pipeline() as pipe:
                pipe.hset(_k("sbx", sandbox_id), mapping={"snapshot": snapshot, "snapshot_version": head.version})
                pipe.hdel(_k("ops", sandbox_id), *range(int(kept) + 1, head.version + 1))
                pipe.execute()

    @contextmanager
    def _locked(self, sandbox_id: str) -> Iterator[None]:
        lock, holder = _k("lock", sandbox_id), secrets.token_hex(8)
        deadline = time.monotonic() + LOCK_MS / 1000
        while not self._redis.set(lock, holder, nx=True, px=LOCK_MS):
            if time.monotonic() > deadline:
                raise StoreUnavailable(f"the sandbox {sandbox_id!r} stayed held by another writer")
            time.sleep(0.0005)
        try:
            yield
        finally:
            self._release(keys=[lock], args=[holder])

    @contextmanager
    def write(self, sandbox_id: str) -> Iterator[Writer]:
        try:
            with self._locked(sandbox_id):
                head = self.head(sandbox_id)
                if head is None:
                    raise StoreUnavailable(f"the sandbox {sandbox_id!r} is no longer in the store")
                writer = _RedisWriter(self._redis.pipeline(transaction=True), sandbox_id, head)
                yield writer
                writer.pipe.execute()
        except (redis.ConnectionError, redis.TimeoutError) as error:
            raise StoreUnavailable(f"Redis does not answer: {error}") from None

    # --- indexes -------------------------------------------------------------------------------

    @_answering
    def key_owner(self, profile: str, key: str) -> str | None:
        owner = self._redis.get(_k("key", f"{profile}:{key}"))
        return owner.decode() if owner else None

    @_answering
    def token_owner(self, token: str) -> str | None:
        owner = self._redis.get(_k("token", token))
        return owner.decode() if owner else None

    # --- counters ------------------------------------------------------------------------------

    @_answering
    def tally(self, sandbox_id: str, key: str, change: Callable[[Window | None], Window]) -> Window:
        counters = _k("tally", sandbox_id)

        def count(pipe) -> Window:
            # Optimistic: WATCH the counters, read, write in MULTI; redis-py runs it again if another
            # client changed them in between.
            kept = pipe.hget(counters, key)
            window = change(tuple(map(int, kept.split(b" "))) if kept else None)
            pipe.multi()
            pipe.hset(counters, key, f"{window[0]} {window[1]}")
            return window

        return self._redis.transaction(count, counters, value_from_callable=True)

    def records(self, sandbox_id: str, kind: str, bound: int) -> Records:
        return RedisRecords(self, sandbox_id, kind, bound)

    def close(self) -> None:
        self._redis.close()


class _RedisWriter(Writer):
    def __init__(self, pipe, sandbox_id: str, head: Head) -> None:
        self.pipe = pipe
        self._id = sandbox_id
        self.head = head

    def append(self, op: bytes) -> int:
        version = self.head.version + 1
        self.pipe.hset(_k("ops", self._id), version, op)
        self.pipe.hset(_k("sbx", self._id), "version", version)
        self.head = Head(self.head.generation, version)
        return version

    def index_token(self, token: str) -> None:
        self.pipe.set(_k("token", token), self._id)
        self.pipe.sadd(_k("tokens", self._id), token)


class RedisRecords(Records):
    def __init__(self, store: RedisStore, sandbox_id: str, kind: str, bound: int) -> None:
        self._store = store
        self._redis = store._redis
        self._items = _k("rec", sandbox_id, kind)
        self._seq = _k("seq", sandbox_id, kind)
        self._bound = bound

    @_answering
    def append_all(self, makes: list[Callable[[int], Any]]) -> list[Any]:
        last = self._redis.incrby(self._seq, len(makes))
        first = last - len(makes) + 1
        items = [make(seq) for seq, make in enumerate(makes, first)]
        self._redis.hset(self._items, mapping={seq: pack_record(item) for seq, item in enumerate(items, first)})
        if trim_due(first, last):
            stale = [int(s) for s in self._redis.hkeys(self._items) if int(s) <= last - self._bound]
            if stale:
                self._redis.hdel(self._items, *stale)
        return items

    @_answering
    def put(self, seq: int, item: Any) -> None:
        if self._redis.hexists(self._items, seq):
            self._redis.hset(self._items, seq, pack_record(item))

    def append_later(self, make: Callable[[int], Any]) -> None:
        self._store.deferred.add(self, make)

    @_answering
    def items(self, since: int = 0) -> list[Any]:
        self._store.deferred.flush()
        kept = sorted((int(seq), blob) for seq, blob in self._redis.hgetall(self._items).items() if int(seq) > since)
        return [unpack_record(blob) for _, blob in kept[-self._bound :]]

    @_answering
    def clear(self) -> None:
        self._store.deferred.flush()
        self._redis.delete(self._items)
