"""Journal bounds and filters; the token book's binding of tokens to sandboxes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mockserver.engine.journal import MAX_BODY_BYTES, MAX_ENTRIES, Journal
from mockserver.engine.store.memory import MemoryRecords
from mockserver.engine.store.sqlite import SqliteStore
from mockserver.engine.tokens import Grant, TokenBook

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def record(journal: Journal, profile: str = "trimble", **overrides):
    fields = dict(
        at=NOW,
        profile=profile,
        method="GET",
        path="/x",
        query="",
        status=200,
        duration_ms=1.0,
        request_headers=(("authorization", "bearer secret"), ("accept", "*/*")),
        request_body=b"",
        response_body=b"{}",
    )
    fields.update(overrides)
    journal.record(**fields)
    return journal.entries()[-1]


@pytest.fixture(params=["memory", "sqlite"])
def new_journal(request, tmp_path):
    """A journal kept in memory, or in an SQLite store (the same rules, whichever keeps it)."""
    if request.param == "memory":
        return lambda: Journal(MemoryRecords(MAX_ENTRIES))
    store = SqliteStore(tmp_path / "store.sqlite")
    return lambda: Journal(store.records("s", "journal", MAX_ENTRIES))


def test_the_journal_keeps_the_latest_entries_with_unique_sequence_numbers(new_journal):
    journal = new_journal()
    for _ in range(MAX_ENTRIES + 5):
        record(journal)
    entries = journal.entries()
    assert len(entries) == MAX_ENTRIES
    assert entries[0].seq == 6 and entries[-1].seq == MAX_ENTRIES + 5
    journal.clear()
    assert journal.entries() == [] and record(journal).seq == MAX_ENTRIES + 6


def test_entries_filter_by_sequence_profile_and_limit(new_journal):
    journal = new_journal()
    record(journal, "trimble"), record(journal, "invers"), record(journal, "trimble")
    assert [e.seq for e in journal.entries(profile="trimble")] == [1, 3]
    assert [e.seq for e in journal.entries(since=1)] == [2, 3]
    assert [e.seq for e in journal.entries(limit=1)] == [3]


def test_credentials_are_masked_when_shown():
    shown = record(Journal(MemoryRecords(MAX_ENTRIES))).to_dict()
    assert shown["requestHeaders"] == {"authorization": "***", "accept": "*/*"}
    assert MAX_BODY_BYTES == 16 * 1024


def grant(token: str, sandbox: str, expires_in: int = 60) -> Grant:
    return Grant(token, sandbox, "trimble", subject=None, issued_at=NOW, expires_at=NOW + timedelta(seconds=expires_in))


def test_revoking_a_sandbox_forgets_only_its_tokens():
    book = TokenBook()
    book.add(grant("a", "one")), book.add(grant("b", "two"))
    book.revoke_sandbox("one")
    assert book.get("a") is None and book.get("b") is not None


def test_a_sandbox_keeps_only_its_latest_tokens():
    book = TokenBook(max_per_sandbox=2)
    for token in ("t1", "t2", "t3"):
        book.add(grant(token, "one"))
    book.add(grant("other", "two"))
    assert book.get("t1") is None and book.get("t2") and book.get("t3") and book.get("other")
    assert len(book) == 3
