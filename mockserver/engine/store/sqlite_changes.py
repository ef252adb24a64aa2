"""KnownHeads: the heads of sandboxes as this process last read or wrote them, kept while no other process has
committed to the SQLite store since; told apart by reading 48 bytes of shared memory (`CommitWatch`) instead of
a read transaction, whose file locks cost about 10 µs, every request."""

from __future__ import annotations

import contextlib
import mmap
import sqlite3
import threading
from pathlib import Path

from .base import Head

# The WAL-index header (https://www.sqlite.org/walformat.html, "the WAL-index header"): the first 48 bytes of
# the `-shm` file, which every connection to the database maps. A commit rewrites it (`iChange` counts
# transactions, `mxFrame` and the checksums move on, a restarted WAL gets new salts), so 48 bytes that read
# the same as before mean no transaction committed in between, in any process.
HEADER = 48
_VERSION = (3007000).to_bytes(4, "little")  # iVersion, in the native byte order of x86 and ARM alike
_COMMITS = slice(8, 12)  # iChange: one more with each commit (a WAL restart, under the same lock, leaves it)


class CommitWatch:
    """A stamp of the database's commits so far (`stamp()`); equal stamps mean nothing was committed between.

    `stamp()` is None when the shared memory cannot be read as SQLite documents it (no WAL, an unexpected
    version): callers then ask the database every time. The watch keeps a connection of its own open for
    as long as it lives: while one is open in this process, no other process truncates or removes the
    `-shm` file (SQLite does that only when no connection anywhere has the database open).
    """

    def __init__(self, path: Path) -> None:
        self._map: mmap.mmap | None = None
        self._anchor: sqlite3.Connection | None = None
        with contextlib.suppress(OSError, ValueError, sqlite3.Error):
            self._anchor = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            if self._anchor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                return
            self._anchor.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()  # maps the `-shm` file
            with open(f"{path}-shm", "rb") as shm:
                mapped = mmap.mmap(shm.fileno(), HEADER, access=mmap.ACCESS_READ)
            if mapped[:4] == _VERSION and mapped[12] == 1:  # isInit
                self._map = mapped
            else:
                mapped.close()

    def stamp(self) -> bytes | None:
        mapped = self._map
        if mapped is None:
            return None
        try:
            return mapped[:HEADER]
        except ValueError:  # closed meanwhile
            return None

    def close(self) -> None:
        mapped, self._map = self._map, None
        if mapped is not None:
            mapped.close()
        if self._anchor is not None:
            self._anchor.close()


def _commits(stamp: bytes) -> int:
    return int.from_bytes(stamp[_COMMITS], "little")


class KnownHeads:
    """Heads (or None: no such sandbox) valid as of one commit stamp; a stamp read later that is the same means
    no commit in between, so they still are the store's.

    A stamp is always read before what it vouches for: a commit after it changes the stamp, and what was read
    is then not trusted again. This process's own commits keep them (`committed`): a transaction reads the
    stamp once it holds SQLite's write lock, so no other commit can come between it and its own.
    """

    FORGET = object()

    def __init__(self, watch: CommitWatch) -> None:
        self._watch = watch
        self._lock = threading.Lock()
        self._known: tuple[bytes | None, dict[str, Head | None]] = (None, {})

    def stamp(self) -> bytes | None:
        return self._watch.stamp()

    def get(self, sandbox_id: str, stamp: bytes | None) -> Head | None | object:
        """The head known for `stamp`, or `FORGET` when it has to be read."""
        known_stamp, heads = self._known
        if stamp is None or stamp != known_stamp:
            return self.FORGET
        return heads.get(sandbox_id, self.FORGET)

    def read(self, sandbox_id: str, stamp: bytes | None, head: Head | None) -> None:
        """`head` was read after `stamp` was."""
        if stamp is None:
            return
        with self._lock:
            known_stamp, heads = self._known
            if known_stamp == stamp:
                heads[sandbox_id] = head
            else:
                self._known = (stamp, {sandbox_id: head})

    def committed(self, before: bytes | None, changed: dict[str, Head | object]) -> None:
        """This process committed one transaction, begun at stamp `before`, changing the heads in `changed`
        (to `FORGET` where they have to be read again)."""
        after = self._watch.stamp()
        if before is None or after is None or _commits(after) != (_commits(before) + 1) % 2**32:
            return  # not this one commit alone: another process's came between
        with self._lock:
            known_stamp, heads = self._known
            if known_stamp != before:
                return
            for sandbox_id, head in changed.items():
                if head is self.FORGET:
                    heads.pop(sandbox_id, None)
                else:
                    heads[sandbox_id] = head
            self._known = (after, heads)
