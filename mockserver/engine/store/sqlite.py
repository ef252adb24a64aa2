"""SqliteStore: sandboxes in one local file, durable across restarts and shared by the processes on one machine."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

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
)
from .sqlite_changes import CommitWatch, KnownHeads
from .sqlite_records import SqliteRecords
from .sqlite_schema import SCHEMA, WERE_WITHOUT_ROWID, give_rowid

# Checkpoints (copying the WAL into the database file, with an fsync) run in a thread of their own this
# often, not inside whichever commit crosses SQLite's threshold: that commit would stall the event loop
# for the fsync, tens of milliseconds (hundreds on a busy disk) every few hundred writes.
CHECKPOINT_EVERY = 1.0


class SqliteStore(Store):
    """WAL mode: readers never wait for the writer; one writer at a time across every process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"
        self._local = threading.local()
        self._closed = threading.Event()
        # One writer at a time within this process is decided here, not by SQLite: a thread that finds the
        # database locked sleeps in SQLite's busy handler (1 ms, then longer), and on the event loop's thread
        # that sleep stalls every request. A lock hands over as soon as the other transaction ends.
        self._writer_lock = threading.Lock()
        self._checkpointer: threading.Thread | None = None
        self._starting = threading.Lock()
        self._watch: CommitWatch | None = None
        self._check_or_initialise()
        self.deferred = Deferred(self._transaction)
        # Asking for a head costs no read transaction while no other process has committed since it was read.
        self._watch = CommitWatch(path)
        self._heads = KnownHeads(self._watch)

    # --- connections ---------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            # Autocommit: every write transaction below is explicit (BEGIN IMMEDIATE).
            connection = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit survives the process being killed (not a power cut).
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA wal_autocheckpoint=0")  # see CHECKPOINT_EVERY
            self._local.connection = connection
        return connection

    def _check_or_initialise(self) -> None:
        """Refuse a file that is not a fleetbox store of this format, before anything can change it (even
        switching it to WAL mode would); initialise a new or empty file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        found = self._format_of_existing() if self.path.exists() and self.path.stat().st_size > 0 else None
        with self._transaction() as c:
            # In a store of this format too: tables added since (IF NOT EXISTS) come with the next start.
            for statement in filter(str.strip, SCHEMA.split(";")):
                c.execute(statement)
            for table in WERE_WITHOUT_ROWID:
                give_rowid(c, table)
            if found is None:
                c.execute("INSERT OR REPLACE INTO fleetbox VALUES ('format', ?)", (FORMAT,))

    def _format_of_existing(self) -> str | None:
        """The format of a fleetbox store at `path`; None for a database with no tables at all."""
        untouched = "it was left untouched"
        try:
            with contextlib.closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)) as probe:
                tables = {row[0] for row in probe.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                row = (
                    probe.execute("SELECT value FROM fleetbox WHERE key='format'").fetchone()
                    if "fleetbox" in tables
                    else None
                )
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path} is not a fleetbox store ({error}); {untouched}.") from None
        if not tables:
            return None
        if "fleetbox" not in tables:
            raise StoreError(f"{self.path} is an SQLite database but not a fleetbox store; {untouched}.")
        if row is None or row[0] != FORMAT:
            found = row[0] if row else "no format"
            raise StoreError(
                f"{self.path} holds a fleetbox store of format {found!r}, not {FORMAT!r}; {untouched}. "
                "Start with another --store path, or remove the file to start over."
            )
        return row[0]

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; inside one already open on this thread (an operation's), simply that one."""
        connection = self._connection()
        if connection.in_transaction:
            yield connection
            return
        if self._checkpointer is None:
            self._start_checkpoints()
        with self._writer_lock:
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise StoreUnavailable(f"the store {self.path} cannot be written: {error}") from None
            # SQLite's write lock is held from here to the commit: no other process commits in between.
            before = self._watch.stamp() if self._watch is not None else None
            self._local.changed = changed = {}
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
            if self._watch is not None:
                self._heads.committed(before, changed)

    def _changed(self, sandbox_id: str, head: Head | object = KnownHeads.FORGET) -> None:
        """The open transaction changes the sandbox's head (to `head`, or to one to be read again)."""
        self._local.changed[sandbox_id] = head

    def _start_checkpoints(self) -> None:
        with self._starting:
            if self._checkpointer is None:
                self._checkpointer = threading.Thread(
                    target=self._checkpoint_until_closed, name="fleetbox-store-checkpoints", daemon=True
                )
                self._checkpointer.start()

    def _checkpoint_until_closed(self) -> None:
        while not self._closed.wait(CHECKPOINT_EVERY):
            self._checkpoint()

    def _checkpoint(self) -> None:
        # PASSIVE: copies what no reader still needs and waits for nobody; other processes checkpoint too.
        with contextlib.suppress(sqlite3.Error):
            self._connection().execute("PRAGMA wal_checkpoint(PASSIVE)")

    def close(self) -> None:
        self.deferred.flush()
        self._closed.set()
        self._checkpoint()
        if self._watch is not None:
            self._watch.close()

    # --- sandboxes -----------------------------------------------------------------------------

    def ids(self) -> list[str]:
        return [row[0] for row in self._connection().execute("SELECT id FROM sandboxes ORDER BY rowid")]

    def head(self, sandbox_id: str) -> Head | None:
        connection = self._connection()
        # Inside a transaction, the head is that transaction's (maybe not committed, maybe of an older snapshot).
        stamp = None if connection.in_transaction else self._heads.stamp()
        head = self._heads.get(sandbox_id, stamp)
        if head is not KnownHeads.FORGET:
            return head
        row = connection.execute("SELECT generation, version FROM sandboxes WHERE id=?", (sandbox_id,)).fetchone()
        head = None if row is None else Head(*row)
        self._heads.read(sandbox_id, stamp, head)
        return head

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """One consistent view for several reads (inside a write transaction, that transaction's)."""
        connection = self._connection()
        if connection.in_transaction:
            yield connection
            return
        connection.execute("BEGIN")
        try:
            yield connection
        finally:
            connection.execute("COMMIT")

    def load(self, sandbox_id: str) -> Stored | None:
        with self._reading() as connection:
            row = connection.execute(
                "SELECT generation, version, meta, snapshot, snapshot_version FROM sandboxes "
                "JOIN snapshots ON sandbox=id WHERE id=?",
                (sandbox_id,),
            ).fetchone()
            if row is None:
                return None
            generation, version, meta, snapshot, snapshot_version = row
            ops = connection.execute(
                "SELECT version, op FROM ops WHERE sandbox=? AND version>? ORDER BY version",
                (sandbox_id, snapshot_version),
            ).fetchall()
        return Stored(Head(generation, version), json.loads(meta), snapshot, snapshot_version, ops)

    def ops_since(self, sandbox_id: str, head: Head) -> list[tuple[int, bytes]] | None:
        with self._reading() as connection:
            row = connection.execute("SELECT generation FROM sandboxes WHERE id=?", (sandbox_id,)).fetchone()
            if row is None or row[0] != head.generation:
                return None
            return connection.execute(
                "SELECT version, op FROM ops WHERE sandbox=? AND version>? ORDER BY version", (sandbox_id, head.version)
            ).fetchall()

    def create(
        self, sandbox_id: str, meta: dict, snapshot: Callable[[], bytes], keys: Iterable[tuple[str, str]]
    ) -> Head | None:
        blob = snapshot()
        head = Head(new_generation(), 0)
        with self._transaction() as c:
            if c.execute("SELECT 1 FROM sandboxes WHERE id=?", (sandbox_id,)).fetchone():
                return None
            c.execute(
                "INSERT INTO sandboxes VALUES (?, ?, ?, ?, 0)",
                (sandbox_id, head.generation, head.version, json.dumps(meta)),
            )
            self._changed(sandbox_id, head)
            c.execute("INSERT OR REPLACE INTO snapshots VALUES (?, ?)", (sandbox_id, blob))
            self._forget(c, sandbox_id, keep_row=True)
            c.executemany(
                "INSERT OR REPLACE INTO credential_keys VALUES (?, ?, ?)", [(p, k, sandbox_id) for p, k in keys]
            )
        return head

    def replace(
        self, sandbox_id: str, meta: dict, snapshot: Callable[[], bytes], keys: Iterable[tuple[str, str]]
    ) -> Head:
        self.deferred.flush()  # entries queued for the old life go in before it ends
        blob = snapshot()
        with self._transaction() as c:
            row = c.execute("SELECT generation, version FROM sandboxes WHERE id=?", (sandbox_id,)).fetchone()
            version = row[1] if row else 0
            generation = new_generation()
            c.execute(
                "INSERT OR REPLACE INTO sandboxes VALUES (?, ?, ?, ?, ?)",
                (sandbox_id, generation, version, json.dumps(meta), version),
            )
            self._changed(sandbox_id)
            c.execute("INSERT OR REPLACE INTO snapshots VALUES (?, ?)", (sandbox_id, blob))
            self._forget(c, sandbox_id, keep_row=True)
            c.executemany(
                "INSERT OR REPLACE INTO credential_keys VALUES (?, ?, ?)", [(p, k, sandbox_id) for p, k in keys]
            )
        return Head(generation, version)

    def delete(self, sandbox_id: str) -> None:
        self.deferred.flush()  # entries queued for the old life go in before it ends
        with self._transaction() as c:
            self._forget(c, sandbox_id, keep_row=False)
            self._changed(sandbox_id)

    @staticmethod
    def _forget(c: sqlite3.Connection, sandbox_id: str, keep_row: bool) -> None:
        if not keep_row:
            c.execute("DELETE FROM sandboxes WHERE id=?", (sandbox_id,))
            c.execute("DELETE FROM snapshots WHERE sandbox=?", (sandbox_id,))
        for table in ("ops", "credential_keys", "tokens", "records", "tallies"):
            c.execute(f"DELETE FROM {table} WHERE sandbox=?", (sandbox_id,))  # noqa: S608 (fixed names)

    def save_snapshot(self, sandbox_id: str, head: Head, snapshot: bytes) -> None:
        with self._transaction() as c:
            updated = c.execute(
                "UPDATE sandboxes SET snapshot_version=? WHERE id=? AND generation=? AND snapshot_version<?",
                (head.version, sandbox_id, head.generation, head.version),
            ).rowcount
            if updated:
                c.execute("UPDATE snapshots SET snapshot=? WHERE sandbox=?", (snapshot, sandbox_id))
                c.execute("DELETE FROM ops WHERE sandbox=? AND version<=?", (sandbox_id, head.version))

    @contextmanager
    def write(self, sandbox_id: str) -> Iterator[Writer]:
        with self._transaction() as c:
            # A write records one operation: its version is taken as the head is read, one statement for two.
            reserved = c.execute(
                "UPDATE sandboxes SET version=version+1 WHERE id=? RETURNING generation, version", (sandbox_id,)
            ).fetchone()
            if reserved is None:
                raise StoreUnavailable(f"the sandbox {sandbox_id!r} is no longer in the store")
            generation, version = reserved
            writer = _SqliteWriter(c, sandbox_id, Head(generation, version - 1))
            yield writer
            if writer.head.version != version:  # it recorded none after all (or more): the head says so
                c.execute("UPDATE sandboxes SET version=? WHERE id=?", (writer.head.version, sandbox_id))
            self._changed(sandbox_id, writer.head)

    # --- indexes -------------------------------------------------------------------------------

    def key_owner(self, profile: str, key: str) -> str | None:
        row = (
            self._connection()
            .execute("SELECT sandbox FROM credential_keys WHERE profile=? AND key=?", (profile, key))
            .fetchone()
        )
        return row[0] if row else None

    def token_owner(self, token: str) -> str | None:
        row = self._connection().execute("SELECT sandbox FROM tokens WHERE token=?", (token,)).fetchone()
        return row[0] if row else None

    # --- counters ------------------------------------------------------------------------------

    def tally(self, sandbox_id: str, key: str, change: Callable[[Window | None], Window]) -> Window:
        with self._transaction() as c:
            kept = c.execute("SELECT started, count FROM tallies WHERE sandbox=? AND key=?", (sandbox_id, key))
            window = change(kept.fetchone())
            c.execute("INSERT OR REPLACE INTO tallies VALUES (?, ?, ?, ?)", (sandbox_id, key, *window))
        return window

    def records(self, sandbox_id: str, kind: str, bound: int) -> Records:
        return SqliteRecords(self, sandbox_id, kind, bound)


class _SqliteWriter(Writer):
    def __init__(self, connection: sqlite3.Connection, sandbox_id: str, head: Head) -> None:
        self._c = connection
        self._id = sandbox_id
        self.head = head

    def append(self, op: bytes) -> int:
        version = self.head.version + 1
        self._c.execute("INSERT INTO ops VALUES (?, ?, ?)", (self._id, version, op))
        self.head = Head(self.head.generation, version)
        return version

    def index_token(self, token: str) -> None:
        self._c.execute("INSERT OR REPLACE INTO tokens VALUES (?, ?)", (token, self._id))
