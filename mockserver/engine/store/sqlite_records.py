"""SqliteRecords: a sandbox's journal, events or webhook deliveries as rows of the SQLite store."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .base import Records, pack_record, trim_due, unpack_record

if TYPE_CHECKING:
    from .sqlite import SqliteStore


class SqliteRecords(Records):
    def __init__(self, store: SqliteStore, sandbox_id: str, kind: str, bound: int) -> None:
        self._store = store
        self._key = (sandbox_id, kind)
        self._bound = bound

    def append_all(self, makes: list[Callable[[int], Any]]) -> list[Any]:
        with self._store._transaction() as c:
            last = c.execute(
                "INSERT INTO record_counters VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET last=last+excluded.last "
                "RETURNING last",
                (*self._key, len(makes)),
            ).fetchone()[0]
            first = last - len(makes) + 1
            items = [make(seq) for seq, make in enumerate(makes, first)]
            c.executemany(
                "INSERT INTO records VALUES (?, ?, ?, ?)",
                [(*self._key, seq, pack_record(item)) for seq, item in enumerate(items, first)],
            )
            if trim_due(first, last):
                c.execute("DELETE FROM records WHERE sandbox=? AND kind=? AND seq<=?", (*self._key, last - self._bound))
        return items

    def put(self, seq: int, item: Any) -> None:
        with self._store._transaction() as c:
            c.execute(
                "UPDATE records SET item=? WHERE sandbox=? AND kind=? AND seq=?",
                (pack_record(item), *self._key, seq),
            )

    def append_later(self, make: Callable[[int], Any]) -> None:
        self._store.deferred.add(self, make)

    def items(self, since: int = 0) -> list[Any]:
        self._store.deferred.flush()
        rows = (
            self._store._connection()
            .execute(
                "SELECT item FROM records WHERE sandbox=? AND kind=? AND seq>? ORDER BY seq DESC LIMIT ?",
                (*self._key, since, self._bound),
            )
            .fetchall()
        )
        return [unpack_record(row[0]) for row in reversed(rows)]

    def clear(self) -> None:
        self._store.deferred.flush()
        with self._store._transaction() as c:
            c.execute("DELETE FROM records WHERE sandbox=? AND kind=?", self._key)
