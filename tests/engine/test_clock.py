"""VirtualClock: offsets, freezing, strictly increasing ticks, snapshots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mockserver.engine.clock import VirtualClock, real_now
from mockserver.engine.errors import Conflict

INSTANT = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def test_a_frozen_clock_stands_still_and_advances_exactly():
    clock = VirtualClock()
    clock.set(INSTANT, frozen=True)
    assert clock.now() == INSTANT == clock.now()
    clock.advance(61)
    assert clock.now() == INSTANT + timedelta(seconds=61) and clock.frozen


def test_a_running_clock_keeps_its_offset():
    clock = VirtualClock()
    clock.advance(3600)
    assert abs(clock.offset_seconds() - 3600) < 1
    assert clock.now() - real_now() > timedelta(minutes=59)


def test_ticks_strictly_increase_even_when_frozen():
    clock = VirtualClock()
    clock.set(INSTANT, frozen=True)
    ticks = [clock.tick() for _ in range(5)]
    assert ticks == sorted(set(ticks)) and ticks[0] == INSTANT


def test_setting_the_clock_forgets_earlier_ticks():
    clock = VirtualClock()
    clock.set(INSTANT, frozen=True)
    clock.tick(), clock.tick()
    clock.set(INSTANT - timedelta(days=1), frozen=True)
    assert clock.tick() == INSTANT - timedelta(days=1)


@pytest.mark.parametrize("instant", [datetime(1999, 12, 31, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)])
def test_the_clock_refuses_implausible_times(instant):
    with pytest.raises(Conflict):
        VirtualClock().set(instant)


def test_a_snapshot_rebuilds_the_same_clock():
    clock = VirtualClock()
    clock.set(INSTANT, frozen=True)
    assert VirtualClock.from_snapshot(clock.snapshot()).now() == INSTANT
    running = VirtualClock(offset=timedelta(hours=2))
    assert abs(VirtualClock.from_snapshot(running.snapshot()).offset_seconds() - 7200) < 1


def test_an_unusable_snapshot_is_a_value_error():
    with pytest.raises(ValueError):
        VirtualClock.from_snapshot({"offsetSeconds": 0, "frozenAt": "1970-01-01T00:00:00Z"})
