"""SortedKeys: distinct keys kept in order, for listings that page through big worlds without sorting per request.

The keys live in chunks of at most `2 * CHUNK`, so an insert or a removal moves a few hundred pointers
instead of a whole list of 100,000, and a slice by position finds its chunk by bisecting running lengths.
Its contents depend only on the keys it holds, never on the order they came in, so a copy rebuilt from a
snapshot or kept up to date by replayed operations answers exactly as the original does.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import Any

CHUNK = 512


class SortedKeys:
    """An ordered set of mutually comparable keys, sliced by position (`page`) or located by key (`position`)."""

    __slots__ = ("_chunks", "_maxes", "_len", "_offsets")

    def __init__(self, keys: Iterable[Any] = ()) -> None:
        ordered = sorted(keys)
        self._chunks = [ordered[at : at + CHUNK] for at in range(0, len(ordered), CHUNK)]
        self._maxes = [chunk[-1] for chunk in self._chunks]
        self._len = len(ordered)
        self._offsets: list[int] | None = None  # where each chunk starts; kept until a key comes or goes

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[Any]:
        for chunk in self._chunks:
            yield from chunk

    def __contains__(self, key: Any) -> bool:
        at = bisect_left(self._maxes, key)
        if at == len(self._maxes):
            return False
        chunk = self._chunks[at]
        return chunk[bisect_left(chunk, key)] == key

    def add(self, key: Any) -> None:
        """Insert `key` (which must not be held already)."""
        self._offsets = None
        if not self._chunks:
            self._chunks, self._maxes, self._len = [[key]], [key], 1
            return
        at = min(bisect_left(self._maxes, key), len(self._maxes) - 1)
        chunk = self._chunks[at]
        insort(chunk, key)
        self._maxes[at] = chunk[-1]
        self._len += 1
        if len(chunk) > 2 * CHUNK:
            self._chunks[at : at + 1] = [chunk[:CHUNK], chunk[CHUNK:]]
            self._maxes[at : at + 1] = [chunk[CHUNK - 1], chunk[-1]]

    def remove(self, key: Any) -> None:
        """Take `key` out; `KeyError` if it is not held."""
        at = bisect_left(self._maxes, key)
        chunk = self._chunks[at] if at < len(self._chunks) else []
        where = bisect_left(chunk, key)
        if where == len(chunk) or chunk[where] != key:
            raise KeyError(key)
        del chunk[where]
        self._len -= 1
        self._offsets = None
        if chunk:
            self._maxes[at] = chunk[-1]
        else:
            del self._chunks[at], self._maxes[at]

    def position(self, key: Any, after: bool = False) -> int:
        """How many keys are below `key` (or, with `after`, below or equal to it): `bisect` over the whole."""
        at = bisect_left(self._maxes, key) if not after else bisect_right(self._maxes, key)
        if at == len(self._chunks):
            return self._len
        before = self._starts()[at]
        chunk = self._chunks[at]
        return before + (bisect_right(chunk, key) if after else bisect_left(chunk, key))

    def slice(self, start: int, stop: int) -> list[Any]:
        """The keys at positions `start` to `stop` (exclusive), ascending, like `list(...)[start:stop]`."""
        start, stop = max(0, start), min(self._len, stop)
        if start >= stop:
            return []
        starts = self._starts()
        at = bisect_right(starts, start) - 1
        taken: list[Any] = []
        offset = start - starts[at]
        while len(taken) < stop - start and at < len(self._chunks):
            chunk = self._chunks[at]
            taken.extend(chunk[offset : offset + (stop - start - len(taken))])
            at, offset = at + 1, 0
        return taken

    def page(self, offset: int, limit: int, descending: bool = False) -> list[Any]:
        """`limit` keys from `offset` in ascending order, or in descending order (the reverse of the whole)."""
        if not descending:
            return self.slice(offset, offset + limit)
        stop = self._len - offset
        return self.slice(stop - limit, stop)[::-1]

    def _starts(self) -> list[int]:
        if self._offsets is None:
            self._offsets = [0, *accumulate(map(len, self._chunks))][:-1] if self._chunks else [0]
        return self._offsets

    def __getstate__(self) -> tuple:
        return self._chunks, self._maxes, self._len

    def __setstate__(self, state: tuple) -> None:
        self._chunks, self._maxes, self._len = state
        self._offsets = None
