"""A store of the previous format is upgraded in place, its sandboxes served as they were; and big worlds
are snapshotted less often, so a write does not pay for pickling the whole world every 500 operations."""

from __future__ import annotations

import json
import sqlite3

from mockserver.engine.sandbox import SNAPSHOT_BYTES_PER_OP, SNAPSHOT_EVERY
from mockserver.engine.store import FORMAT, Head, open_store
from mockserver.engine.store.base import PREVIOUS_FORMAT

# The tables of PREVIOUS_FORMAT that changed: the snapshot lived in the sandbox's row.
PREVIOUS_SCHEMA = """
CREATE TABLE fleetbox (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sandboxes (id TEXT PRIMARY KEY, generation INTEGER NOT NULL, version INTEGER NOT NULL,
    meta TEXT NOT NULL, snapshot BLOB NOT NULL, snapshot_version INTEGER NOT NULL);
CREATE TABLE ops (sandbox TEXT NOT NULL, version INTEGER NOT NULL, op BLOB NOT NULL,
    PRIMARY KEY (sandbox, version)) WITHOUT ROWID;
CREATE TABLE credential_keys (profile TEXT NOT NULL, key TEXT NOT NULL, sandbox TEXT NOT NULL,
    PRIMARY KEY (profile, key)) WITHOUT ROWID;
CREATE TABLE tokens (token TEXT PRIMARY KEY, sandbox TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX tokens_by_sandbox ON tokens (sandbox);
CREATE TABLE record_counters (sandbox TEXT NOT NULL, kind TEXT NOT NULL, last INTEGER NOT NULL,
    PRIMARY KEY (sandbox, kind)) WITHOUT ROWID;
CREATE TABLE records (sandbox TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL,
    item BLOB NOT NULL, PRIMARY KEY (sandbox, kind, seq)) WITHOUT ROWID;
"""


def test_a_store_of_the_previous_format_is_upgraded_and_keeps_its_sandboxes(tmp_path):
    path = tmp_path / "store.sqlite"
    with sqlite3.connect(path) as connection:
        connection.executescript(PREVIOUS_SCHEMA)
        connection.execute("INSERT INTO fleetbox VALUES ('format', ?)", (PREVIOUS_FORMAT,))
        connection.execute("INSERT INTO sandboxes VALUES ('s1', 7, 2, ?, ?, 1)", (json.dumps({"seed": 3}), b"snap"))
        connection.executemany("INSERT INTO ops VALUES ('s1', ?, ?)", [(1, b"op1"), (2, b"op2")])
    store = open_store(f"sqlite:///{path}")
    try:
        loaded = store.load("s1")
        assert (loaded.head, loaded.meta, loaded.snapshot, loaded.snapshot_version) == (
            Head(7, 2),
            {"seed": 3},
            b"snap",
            1,
        )
        assert loaded.ops == [(2, b"op2")]
        store.save_snapshot("s1", Head(7, 2), b"newer")
        assert store.load("s1").snapshot == b"newer"
    finally:
        store.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT value FROM fleetbox WHERE key='format'").fetchone() == (FORMAT,)
        columns = [row[1] for row in connection.execute("PRAGMA table_info(sandboxes)")]
        assert "snapshot" not in columns


def test_a_write_leaves_the_snapshot_alone(tmp_path):
    """SQLite rewrites a whole row on update: the version a write bumps must not share a row with the
    snapshot, or each write would copy the world."""
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        store.create("s1", {}, lambda: b"x" * 100_000, [])
        with store.write("s1") as writer:
            writer.append(b"op")
        with sqlite3.connect(tmp_path / "store.sqlite") as connection:
            row = connection.execute("SELECT * FROM sandboxes WHERE id='s1'").fetchone()
        assert sum(len(value) for value in row if isinstance(value, (str, bytes))) < 1000
    finally:
        store.close()


def test_a_big_world_is_snapshotted_after_more_operations_than_a_small_one(store_url):
    from mockserver.app import create_app
    from mockserver.http.context import REGISTRY_KEY
    from mockserver.settings import Settings

    registry = create_app(Settings(store=store_url, size=25)).app.extensions[REGISTRY_KEY]
    sandbox = registry.get("default")
    sandbox._last_snapshot = (sandbox.head.version, 1000)
    assert not sandbox._snapshot_due()
    sandbox.head = Head(sandbox.head.generation, sandbox._last_snapshot[0] + SNAPSHOT_EVERY)
    assert sandbox._snapshot_due()
    big = SNAPSHOT_EVERY * SNAPSHOT_BYTES_PER_OP * 4
    sandbox._last_snapshot = (sandbox.head.version, big)
    sandbox.head = Head(sandbox.head.generation, sandbox._last_snapshot[0] + SNAPSHOT_EVERY)
    assert not sandbox._snapshot_due()
    sandbox.head = Head(sandbox.head.generation, sandbox._last_snapshot[0] + big // SNAPSHOT_BYTES_PER_OP)
    assert sandbox._snapshot_due()
