"""Journal: the bounded record of vendor-API requests a sandbox served, for clients to inspect."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .replica import compact_instant, instant_of
from .store import Records

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
    response_headers: tuple[tuple[str, str], ...] = ()

    def __reduce__(self):
        # Its fields in order, a UTC instant as microseconds since the epoch: a slots dataclass's own reduction
        # runs Python code per field, and an aware datetime pickles as three objects; every request pays it.
        # (Entries pickled before this load through the dataclass's `__setstate__`, which it still has.)
        return _entry, (
            self.seq,
            compact_instant(self.at),
            self.profile,
            self.method,
            self.path,
            self.query,
            self.status,
            self.duration_ms,
            self.request_headers,
            self.request_body,
            self.response_body,
            self.fault,
            self.response_headers,
        )

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
            "responseHeaders": dict(self.response_headers),
        }


def _entry(seq: int, at: int | datetime, *fields) -> JournalEntry:
    """A pickled `JournalEntry` back (stored entries name this function: it keeps its name and signature)."""
    return JournalEntry(seq, instant_of(at), *fields)


class Journal:
    """The latest `MAX_ENTRIES` entries of one sandbox, kept in the store; `seq` numbers never repeat."""

    def __init__(self, records: Records) -> None:
        self._records = records

    def record(self, **fields) -> None:
        """Append an entry, off the request path where the store allows; `seq` is assigned by the store so
        concurrent requests never share one."""
        self._records.append_later(lambda seq: JournalEntry(seq=seq, **fields))

    def entries(self, since: int = 0, limit: int = MAX_ENTRIES, profile: str | None = None) -> list[JournalEntry]:
        """Entries after `since`, optionally of one profile only; the latest `limit` of them."""
        selected = [entry for entry in self._records.items(since) if profile is None or entry.profile == profile]
        return selected[-limit:]

    def clear(self) -> None:
        self._records.clear()
