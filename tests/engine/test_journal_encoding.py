"""How a journal entry is kept in a durable store: its plain fields, the instant as a number; entries kept by an
earlier fleetbox (pickled as a dataclass) still load."""

from __future__ import annotations

import base64
import copyreg
import io
import pickle
from datetime import UTC, datetime, timedelta, timezone

import pytest

from mockserver.engine.journal import JournalEntry
from mockserver.engine.store.base import pack_record, unpack_record


def entry(at: datetime) -> JournalEntry:
    return JournalEntry(
        seq=7,
        at=at,
        profile="trimble",
        method="GET",
        path="/trimble/api/assets/v1/vehicles",
        query="limit=20",
        status=200,
        duration_ms=1.5,
        request_headers=(("host", "127.0.0.1"),),
        request_body=b"",
        response_body=b'{"vehicles": []}',
        fault=None,
        response_headers=(("content-type", "application/json"),),
    )


# `pack_record` of `entry(AT_BEFORE)` by fleetbox before this encoding (commit ef51592): a dataclass pickle.
AT_BEFORE = datetime(2026, 12, 2, 6, 30, 15, 123456, tzinfo=UTC)
KEPT_BEFORE = (
    "BCJNGGhANQEAAAAAAABiIQEAAGGABZUqAQABAPIQjBltb2Nrc2VydmVyLmVuZ2luZS5qb3VybmFslIwMSgoA9wxFbnRyeZSTlCmBlF2UKEsHjAhk"
    "YXRldGltZZQLAPAEk5RDCgfqDAIGHg8B4kCUaAWMCCMAMHpvbhwAQGgFjAkPAKBkZWx0YZSTlEsAAgDzEIeUUpSFlFKUhpRSlIwHdHJpbWJsZZSM"
    "A0dFVJSMHy8RAPEZL2FwaS9hc3NldHMvdjEvdmVoaWNsZXOUjAhsaW1pdD0yMJRLyEc/+NIA9BAAjARob3N0lIwJMTI3LjAuMC4xlIaUhZRDAJRD"
    "EHsiPQDwIiI6IFtdfZROjAxjb250ZW50LXR5cGWUjBBhcHBsaWNhdGlvbi9qc29ulIaUhZRlYi4AAAAA"
)


def test_an_entry_kept_by_an_earlier_fleetbox_still_loads():
    kept = unpack_record(base64.b64decode(KEPT_BEFORE))
    assert kept == entry(AT_BEFORE) and kept.at.tzinfo is UTC


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 12, 2, 6, 30, 15, 123456, tzinfo=UTC),
        datetime(1969, 7, 20, 20, 17, 40, tzinfo=UTC),  # before the epoch
        datetime(2026, 12, 2, 8, 30, tzinfo=timezone(timedelta(hours=2))),  # another zone: kept as it is
    ],
)
def test_an_entry_comes_back_as_it_went_in(at):
    back = unpack_record(pack_record(entry(at)))
    assert back == entry(at) and back.at.tzinfo == at.tzinfo and back.to_dict() == entry(at).to_dict()


def as_a_dataclass(kept: JournalEntry) -> bytes:
    """The entry pickled the way a slots dataclass pickles by itself (how it was kept before)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, 5)
    pickler.dispatch_table = {JournalEntry: lambda e: (copyreg.__newobj__, (JournalEntry,), e.__getstate__())}
    pickler.dump(kept)
    return buffer.getvalue()


def test_an_entry_pickles_as_plain_fields_with_its_instant_as_a_number():
    data = pickle.dumps(entry(AT_BEFORE), 5)
    assert b"datetime" not in data and b"timezone" not in data
    assert len(data) < len(as_a_dataclass(entry(AT_BEFORE))) - 60
    assert pickle.loads(as_a_dataclass(entry(AT_BEFORE))) == entry(AT_BEFORE)
