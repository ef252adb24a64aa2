"""The virtual clock: set, freeze, advance, and its bounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def now_of(clock: dict) -> datetime:
    return datetime.fromisoformat(clock["now"])


def test_a_new_clock_runs_at_real_time(sandbox):
    clock = sandbox.control.get(f"/sandboxes/{sandbox.id}/clock").json()
    assert clock["frozen"] is False
    assert abs(now_of(clock) - datetime.now(UTC)) < timedelta(seconds=5)


def test_set_and_freeze(sandbox):
    path = f"/sandboxes/{sandbox.id}/clock"
    frozen = sandbox.control.put(path, json={"now": "2031-02-03T04:05:06Z", "frozen": True}).json()
    assert frozen["now"] == "2031-02-03T04:05:06Z" and frozen["frozen"] is True
    assert sandbox.control.get(path).json()["now"] == "2031-02-03T04:05:06Z"
    running = sandbox.control.put(path, json={"now": "2031-02-03T04:05:06+01:00"}).json()
    assert running["frozen"] is False
    assert abs(now_of(running) - datetime(2031, 2, 3, 3, 5, 6, tzinfo=UTC)) < timedelta(seconds=5)


def test_advance_moves_a_frozen_clock_exactly(sandbox):
    sandbox.control.put(f"/sandboxes/{sandbox.id}/clock", json={"now": "2030-01-01T00:00:00Z", "frozen": True})
    clock = sandbox.control.post(f"/sandboxes/{sandbox.id}/clock/advance", json={"seconds": 90.5}).json()
    assert clock["now"] == "2030-01-01T00:01:30.500000Z" and clock["frozen"] is True
    back = sandbox.control.post(f"/sandboxes/{sandbox.id}/clock/advance", json={"seconds": -3600}).json()
    assert back["now"] == "2029-12-31T23:01:30.500000Z"


def test_the_clock_stays_within_2000_and_2100(sandbox):
    path = f"/sandboxes/{sandbox.id}/clock"
    assert sandbox.control.put(path, json={"now": "1999-12-31T23:59:59Z"}).status_code == 409
    assert sandbox.control.post(f"{path}/advance", json={"seconds": 3_000_000_000}).status_code == 409
    assert sandbox.control.put(path, json={"now": "yesterday"}).status_code == 400
    assert sandbox.control.post(f"{path}/advance", json={"seconds": "ten"}).status_code == 400
