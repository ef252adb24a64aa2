"""RateLimiter: fixed windows per client, on the clock it is given, counted in the tally it is given."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta

from mockserver.engine.ratelimit import LocalTally, RateLimit, RateLimiter

T0 = datetime(2030, 1, 1, tzinfo=UTC)


class Limiter(RateLimiter):
    """A limiter counting in a tally of its own, as a sandbox on the memory store does."""

    def __init__(self, defaults=None) -> None:
        super().__init__(defaults)
        self.tally = LocalTally()

    def hit(self, profile, client, now):
        return super().hit(profile, client, now, self.tally)


def test_no_quota_means_no_decision():
    assert Limiter().hit("trimble", "client", T0) is None


def test_a_client_gets_its_quota_per_window_then_waits():
    limiter = Limiter({"invers": RateLimit(2, 60)})
    first, second, third = (limiter.hit("invers", "a", T0 + timedelta(seconds=s)) for s in (0, 1, 2))
    assert (first.allowed, first.remaining) == (True, 1)
    assert (second.allowed, second.remaining) == (True, 0)
    assert third.allowed is False and third.resets_at == T0 + timedelta(seconds=60)
    assert third.retry_after(T0 + timedelta(seconds=2)) == 58
    assert limiter.hit("invers", "b", T0).allowed, "another client has its own window"
    assert limiter.hit("invers", "a", T0 + timedelta(seconds=60)).allowed, "a new window"


def test_configuring_restarts_counting_and_none_lifts_the_quota():
    limiter = Limiter({"invers": RateLimit(1, 60)})
    limiter.hit("invers", "a", T0)
    assert not limiter.hit("invers", "a", T0).allowed
    limiter.configure("invers", RateLimit(1, 60))
    assert limiter.hit("invers", "a", T0).allowed
    limiter.configure("invers", None)
    assert limiter.hit("invers", "a", T0) is None and limiter.limits() == {}


def test_moving_the_clock_back_starts_a_new_window():
    limiter = Limiter({"invers": RateLimit(1, 60)})
    limiter.hit("invers", "a", T0)
    assert limiter.hit("invers", "a", T0 - timedelta(hours=1)).allowed


def test_a_limiter_pickled_with_its_windows_loads_without_them():
    """Snapshots written before the counts moved to the store carry `_windows`; they load, quotas kept."""
    old_state = {"_limits": {"invers": RateLimit(3, 60)}, "_windows": {("invers", "a"): (T0, 3)}, "_lock": None}
    loaded = RateLimiter.__new__(RateLimiter)
    loaded.__setstate__(old_state)  # what unpickling an old snapshot does
    assert loaded.limits() == {"invers": RateLimit(3, 60)} and not hasattr(loaded, "_windows")
    assert loaded.hit("invers", "a", T0, LocalTally()).allowed
    assert pickle.loads(pickle.dumps(loaded)).limits() == loaded.limits()
