"""What keeps a write's cost independent of the world's size in the store: a write does not rewrite the
snapshot, and big worlds are snapshotted less often than small ones."""

from __future__ import annotations

import sqlite3

from mockserver.engine.sandbox import SNAPSHOT_BYTES_PER_OP, SNAPSHOT_EVERY
from mockserver.engine.store import Head, open_store


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
