"""A SQLite store made by an earlier fleetbox of the same format catches up at start-up, its contents kept:
the journal's table, first made WITHOUT ROWID, becomes a table with a rowid."""

from __future__ import annotations

import sqlite3

from mockserver.engine.store.sqlite import SqliteStore
from mockserver.engine.store.sqlite_schema import SCHEMA, WERE_WITHOUT_ROWID


def _made_as(path, table: str) -> str:
    with sqlite3.connect(path) as c:
        return c.execute("SELECT sql FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone()[0]


def test_a_store_with_the_journal_without_rowid_moves_it_and_keeps_every_entry(tmp_path):
    path = tmp_path / "earlier.sqlite"
    store = SqliteStore(path)
    store.create("s1", {}, lambda: b"snapshot", [])
    records = store.records("s1", "journal", 10)
    for n in range(15):
        records.append(lambda seq, n=n: {"seq": seq, "n": n})
    kept = records.items()
    store.close()
    # Make the file what the earlier schema made: the same rows, in a table WITHOUT ROWID.
    with sqlite3.connect(path) as c:
        c.execute("ALTER TABLE records RENAME TO now")
        earlier = next(s for s in SCHEMA.split(";") if "EXISTS records (" in s).rstrip() + " WITHOUT ROWID"
        c.execute(earlier)
        c.execute("INSERT INTO records SELECT * FROM now")
        c.execute("DROP TABLE now")
    assert "WITHOUT ROWID" in _made_as(path, "records")

    reopened = SqliteStore(path)
    try:
        assert all("WITHOUT ROWID" not in _made_as(path, table) for table in WERE_WITHOUT_ROWID)
        records = reopened.records("s1", "journal", 10)
        assert records.items() == kept and len(kept) == 10
        assert records.append(lambda seq: seq) == 16  # the numbering goes on
    finally:
        reopened.close()
