"""MemoryStore: nothing written anywhere; the one process's registry is the whole truth (tests, throwaway CI)."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from ..ratelimit import LocalTally, Window
from .base import Head, Records, Store, Stored, Writer


class MemoryRecords(Records):
    def __init__(self, bound: int) -> None:
        self._items: deque[tuple[int, Any]] = deque(maxlen=bound)
        self._seq = 0
        self._lock = threading.Lock()

    def append_all(self, makes: list[Callable[[int], Any]]) -> list[Any]:
        with self._lock:
            items = []
            for make in makes:
                self._seq += 1
                items.append(make(self._seq))
                self._items.append((self._seq, items[-1]))
            return items

    def put(self, seq: int, item: Any) -> None:
        # Items are kept as objects here, so the caller changed the kept one already.
        pass

    def items(self, since: int = 0) -> list[Any]:
        with self._lock:
            return [item for seq, item in self._items if seq > since]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class _NoWriter(Writer):
    head = Head(1, 0)

    def append(self, op: bytes) -> int:
        return 0

    def index_token(self, token: str) -> None:
        pass


_NO_WRITER = _NoWriter()


class MemoryStore(Store):
    url = "memory"
    shared = False

    def __init__(self) -> None:
        self._generations: dict[str, int] = {}
        self._records: dict[tuple[str, str], MemoryRecords] = {}
        self._tallies: dict[str, LocalTally] = {}
        self._lock = threading.Lock()

    def ids(self) -> list[str]:
        return list(self._generations)

    def head(self, sandbox_id: str) -> Head | None:
        generation = self._generations.get(sandbox_id)
        return None if generation is None else Head(generation, 0)

    def load(self, sandbox_id: str) -> Stored | None:
        return None  # never asked: a memory registry never lets go of a sandbox

    def ops_since(self, sandbox_id: str, head: Head) -> list[tuple[int, bytes]] | None:
        return []

    def create(
        self, sandbox_id: str, meta: dict, snapshot: Callable[[], bytes], keys: Iterable[tuple[str, str]]
    ) -> Head | None:
        with self._lock:
            if sandbox_id in self._generations:
                return None
            self._generations[sandbox_id] = 1
            return Head(1, 0)

    def replace(
        self, sandbox_id: str, meta: dict, snapshot: Callable[[], bytes], keys: Iterable[tuple[str, str]]
    ) -> Head:
        with self._lock:
            self._generations[sandbox_id] = self._generations.get(sandbox_id, 0) + 1
            for (owner, _), records in self._records.items():
                if owner == sandbox_id:
                    records.clear()
            self._tallies.pop(sandbox_id, None)
            return Head(self._generations[sandbox_id], 0)

    def delete(self, sandbox_id: str) -> None:
        with self._lock:
            self._generations.pop(sandbox_id, None)
            self._records = {key: r for key, r in self._records.items() if key[0] != sandbox_id}
            self._tallies.pop(sandbox_id, None)

    def save_snapshot(self, sandbox_id: str, head: Head, snapshot: bytes) -> None:
        pass

    @contextmanager
    def write(self, sandbox_id: str) -> Iterator[Writer]:
        # The sandbox's own lock, held by the caller, is all the exclusion one process needs.
        yield _NO_WRITER

    def key_owner(self, profile: str, key: str) -> str | None:
        return None

    def token_owner(self, token: str) -> str | None:
        return None

    def tally(self, sandbox_id: str, key: str, change: Callable[[Window | None], Window]) -> Window:
        tally = self._tallies.get(sandbox_id)
        if tally is None:
            with self._lock:
                tally = self._tallies.setdefault(sandbox_id, LocalTally())
        return tally(key, change)

    def records(self, sandbox_id: str, kind: str, bound: int) -> Records:
        with self._lock:
            return self._records.setdefault((sandbox_id, kind), MemoryRecords(bound))
