"""Journal bounds and filters; the token book's binding of tokens to sandboxes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from mockserver.engine.journal import MAX_BODY_BYTES, MAX_ENTRIES, Journal
from mockserver.engine.tokens import Grant, TokenBook

NOW = datetime(2030, 1, 1, tzinfo=timezone.utc)


def record(journal: Journal, profile: str = "trimble", **overrides):
    fields = dict(
        at=NOW, profile=profile, method="GET", path="/x", query="", status=200, duration_ms=1.0,
        request_headers=(("authorization", "bearer secret"), ("accept", "*/*")),
        request_body=b"", response_body=b"{}",
    )
    fields.update(overrides)
    return journal.record(**fields)


def test_the_journal_keeps_the_latest_entries_with_unique_sequence_numbers():
    journal = Journal()
    for _ in range(MAX_ENTRIES + 5):
        record(journal)
    entries = journal.entries()
    assert len(entries) == MAX_ENTRIES
    assert entries[0].seq == 6 and entries[-1].seq == MAX_ENTRIES + 5


def test_entries_filter_by_sequence_profile_and_limit():
    journal = Journal()
    record(journal, "trimble"), record(journal, "invers"), record(journal, "trimble")
    assert [e.seq for e in journal.entries(profile="trimble")] == [1, 3]
    assert [e.seq for e in journal.entries(since=1)] == [2, 3]
    assert [e.seq for e in journal.entries(limit=1)] == [3]


def test_credentials_are_masked_when_shown():
    shown = record(Journal()).to_dict()
    assert shown["requestHeaders"] == {"authorization": "***", "accept": "*/*"}
    assert MAX_BODY_BYTES == 16 * 1024


def grant(token: str, sandbox: str, expires_in: int = 60) -> Grant:
    return Grant(token, sandbox, "trimble", subject=None, issued_at=NOW, expires_at=NOW + timedelta(seconds=expires_in))


def test_revoking_a_sandbox_forgets_only_its_tokens():
    book = TokenBook()
    book.add(grant("a", "one")), book.add(grant("b", "two"))
    book.revoke_sandbox("one")
    assert book.get("a") is None and book.get("b") is not None


def test_purging_drops_expired_tokens_and_tokens_of_gone_sandboxes():
    book = TokenBook()
    book.add(grant("fresh", "one", 600)), book.add(grant("stale", "one", 1)), book.add(grant("orphan", "gone", 600))
    book.purge_expired({"one": NOW + timedelta(seconds=10)})
    assert book.get("fresh") is not None and book.get("stale") is None and book.get("orphan") is None
