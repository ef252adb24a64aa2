"""What keeps a write's cost independent of the world's size in the store: a write does not rewrite the
snapshot, and big worlds are snapshotted less often than small ones."""

from __future__ import annotations

import sqlite3
import time

from mockserver.engine.snapshots import SNAPSHOT_BYTES_PER_OP, SNAPSHOT_EVERY
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


def test_commits_leave_checkpoints_to_a_thread_of_their_own(tmp_path, monkeypatch):
    """A checkpoint copies the WAL into the database file and fsyncs it; inside a commit it would stall the
    request (and the event loop) that happened to cross SQLite's threshold. No commit checkpoints here: the
    database file stays as it was until the store's own thread (or closing the store) does."""
    from mockserver.engine.store import sqlite as sqlite_store

    def database_grows(path, writes: int, period: float) -> bool:
        monkeypatch.setattr(sqlite_store, "CHECKPOINT_EVERY", period)
        store = open_store(f"sqlite:///{path}")
        try:
            store.create("s1", {}, lambda: b"", [])
            before = path.stat().st_size
            for n in range(writes):
                with store.write("s1") as writer:
                    writer.append(bytes(600) + n.to_bytes(4, "big"))
            if period > 10:
                return path.stat().st_size > before
            deadline = time.monotonic() + 100 * period
            while path.stat().st_size <= before and time.monotonic() < deadline:
                time.sleep(period)
            return path.stat().st_size > before
        finally:
            store.close()

    # ~3 pages a write: well past the 1,000 pages at which SQLite would checkpoint in a commit.
    assert not database_grows(tmp_path / "no-thread-yet.sqlite", 1500, period=3600)
    assert database_grows(tmp_path / "thread.sqlite", 20, period=0.05)
