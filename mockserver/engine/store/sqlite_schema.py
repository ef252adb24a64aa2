"""The SQLite store's tables, and how a store made by an earlier fleetbox of the same format catches up."""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS fleetbox (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sandboxes (
    id TEXT PRIMARY KEY, generation INTEGER NOT NULL, version INTEGER NOT NULL, meta TEXT NOT NULL,
    snapshot_version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (sandbox TEXT PRIMARY KEY, snapshot BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS ops (sandbox TEXT NOT NULL, version INTEGER NOT NULL, op BLOB NOT NULL,
    PRIMARY KEY (sandbox, version)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS credential_keys (profile TEXT NOT NULL, key TEXT NOT NULL, sandbox TEXT NOT NULL,
    PRIMARY KEY (profile, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, sandbox TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tokens_by_sandbox ON tokens (sandbox);
CREATE TABLE IF NOT EXISTS tallies (sandbox TEXT NOT NULL, key TEXT NOT NULL, started INTEGER NOT NULL,
    count INTEGER NOT NULL, PRIMARY KEY (sandbox, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS record_counters (sandbox TEXT NOT NULL, kind TEXT NOT NULL, last INTEGER NOT NULL,
    PRIMARY KEY (sandbox, kind)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records (sandbox TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL,
    item BLOB NOT NULL, PRIMARY KEY (sandbox, kind, seq));
"""
# Tables first made WITHOUT ROWID, whose rows turned out too big for it: SQLite keeps such a table's whole rows
# in its key's b-tree, which suits rows under a twentieth of a page, and a journal entry is a kilobyte.
# Inserting them in a table with a rowid costs half as much; a store made before moves them at start-up.
WERE_WITHOUT_ROWID = ("records",)


def give_rowid(c: sqlite3.Connection, table: str) -> None:
    """Move a table made WITHOUT ROWID by an earlier fleetbox into one made by `SCHEMA`, rows and all."""
    made = c.execute("SELECT sql FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone()[0]
    if "WITHOUT ROWID" not in made.upper():
        return
    c.execute(f"ALTER TABLE {table} RENAME TO {table}_before")
    c.execute(next(s for s in SCHEMA.split(";") if f"EXISTS {table} (" in s))
    c.execute(f"INSERT INTO {table} SELECT * FROM {table}_before")  # noqa: S608 (fixed names)
    c.execute(f"DROP TABLE {table}_before")
