"""Where sandboxes are kept: `open_store(url)` gives the backend a `--store` URL names."""

from __future__ import annotations

from pathlib import Path

from .base import FORMAT, Head, Records, Store, Stored, StoreError, StoreUnavailable, Writer
from .memory import MemoryStore

__all__ = [
    "FORMAT",
    "Head",
    "MemoryStore",
    "Records",
    "Store",
    "StoreError",
    "Stored",
    "StoreUnavailable",
    "Writer",
    "open_store",
]


def open_store(url: str) -> Store:
    """`memory`, `sqlite:///PATH` (a relative PATH after `sqlite:///`; `sqlite:////abs` for an absolute one,
    or simply a path ending in .sqlite/.db) or `redis://HOST:PORT/DB`; `StoreError` when it cannot be used."""
    if url == "memory":
        return MemoryStore()
    if url.startswith("sqlite:///"):
        from .sqlite import SqliteStore

        return SqliteStore(Path(url[len("sqlite:///") :]).expanduser())
    if url.startswith(("redis://", "rediss://", "unix://")):
        from .redis import RedisStore

        return RedisStore(url)
    raise StoreError(f"Unknown store {url!r}: use memory, sqlite:///PATH or redis://HOST:PORT/DB.")
