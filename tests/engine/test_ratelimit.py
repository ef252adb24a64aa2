"""RateLimiter: fixed windows per client, on the clock it is given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mockserver.engine.ratelimit import RateLimit, RateLimiter

T0 = datetime(2030, 1, 1, tzinfo=UTC)


def test_no_quota_means_no_decision():
    assert RateLimiter().hit("trimble", "client", T0) is None


def test_a_client_gets_its_quota_per_window_then_waits():
    limiter = RateLimiter({"invers": RateLimit(2, 60)})
    first, second, third = (limiter.hit("invers", "a", T0 + timedelta(seconds=s)) for s in (0, 1, 2))
    assert (first.allowed, first.remaining) == (True, 1)
    assert (second.allowed, second.remaining) == (True, 0)
    assert third.allowed is False and third.resets_at == T0 + timedelta(seconds=60)
    assert third.retry_after(T0 + timedelta(seconds=2)) == 58
    assert limiter.hit("invers", "b", T0).allowed, "another client has its own window"
    assert limiter.hit("invers", "a", T0 + timedelta(seconds=60)).allowed, "a new window"


def test_configuring_restarts_counting_and_none_lifts_the_quota():
    limiter = RateLimiter({"invers": RateLimit(1, 60)})
    limiter.hit("invers", "a", T0)
    assert not limiter.hit("invers", "a", T0).allowed
    limiter.configure("invers", RateLimit(1, 60))
    assert limiter.hit("invers", "a", T0).allowed
    limiter.configure("invers", None)
    assert limiter.hit("invers", "a", T0) is None and limiter.limits() == {}


def test_moving_the_clock_back_starts_a_new_window():
    limiter = RateLimiter({"invers": RateLimit(1, 60)})
    limiter.hit("invers", "a", T0)
    assert limiter.hit("invers", "a", T0 - timedelta(hours=1)).allowed
