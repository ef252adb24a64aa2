"""Journal: the bounded record of vendor-API requests a sandbox served, for clients to inspect."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime

MAX_ENTRIES = 1000
MAX_BODY_BYTES = 16 * 1024
MASKED_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One request and its response, as raw as it was served (bodies already truncated)."""

    seq: int
    at: datetime
    profile: str
    method: str
    path: str
    query: str
    status: int
    duration_ms: float
    request_headers: tuple[tuple[str, str], ...]
    request_body: bytes
    response_body: bytes
    fault: str | None = None

    def to_dict(self) -> dict:
        """The entry as the control plane shows it; decoding is left until someone asks."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat().replace("+00:00", "Z"),
            "profile": self.profile,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "durationMs": round(self.duration_ms, 3),
            "requestHeaders": {
                name: ("***" if name in MASKED_HEADERS else value) for name, value in self.request_headers
            },
            "requestBody": self.request_body.decode("utf-8", "replace"),
            "responseBody": self.response_body.decode("utf-8", "replace"),
            "fault": self.fault,
        }


class Journal:
    """The latest `MAX_ENTRIES` entries of one sandbox; `seq` numbers never repeat."""

    def __init__(self) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=MAX_ENTRIES)
        self._lock = threading.Lock()
        self._seq = 0

    def record(self, **fields) -> JournalEntry:
        """Append an entry; `seq` is assigned here so concurrent requests never share one."""
        with self._lock:
            self._seq += 1
            entry = JournalEntry(seq=self._seq, **fields)
            self._entries.append(entry)
            return entry

    def entries(self, since: int = 0, limit: int = MAX_ENTRIES, profile: str | None = None) -> list[JournalEntry]:
        """Entries after `since`, optionally of one profile only; the latest `limit` of them."""
        with self._lock:
            snapshot = list(self._entries)
        selected = [entry for entry in snapshot if entry.seq > since and (profile is None or entry.profile == profile)]
        return selected[-limit:]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
