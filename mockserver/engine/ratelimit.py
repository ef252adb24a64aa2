"""RateLimiter: per-client request quotas of one sandbox, counted in fixed windows on its clock.

A profile may have a default quota; the control plane sets, changes or lifts any profile's quota
per sandbox. Windows run on the sandbox's virtual clock, so a test can advance past a limit.

The quotas are part of the sandbox (recorded, replayed, snapshotted); the counts are not: every
request would otherwise be an operation each process must replay. They live in a `Tally`, the store's
atomic counter, which every process serving the sandbox shares, so a quota is counted once.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# A window as the store keeps it: when it started (microseconds since the epoch, exact) and how many
# requests it counted, refused ones included.
Window = tuple[int, int]
# The store's atomic read-modify-write of one counter: `tally(key, change)` gives `change` the window
# kept under `key` (None when there is none), keeps what it returns and returns that.
Tally = Callable[[str, Callable[[Window | None], Window]], Window]


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` requests per `window_seconds` for each client."""

    limit: int
    window_seconds: float

    def to_dict(self) -> dict:
        return {"limit": self.limit, "windowSeconds": self.window_seconds}

    def count(self, window: Window | None, now: datetime) -> Window:
        """The window after one more request at `now`: a new one when the last has ended (or the clock
        was moved back before it began)."""
        instant = _microseconds(now)
        started, count = window or (instant, 0)
        if instant >= started + round(self.window_seconds * 1_000_000) or instant < started:
            started, count = instant, 0
        return started, count + 1

    def decide(self, window: Window) -> RateDecision:
        started, count = window
        resets_at = _instant(started) + timedelta(seconds=self.window_seconds)
        return RateDecision(count <= self.limit, self.limit, max(0, self.limit - count), resets_at)


@dataclass(frozen=True)
class RateDecision:
    """What the limiter said about one request; the profile turns it into headers or a 429."""

    allowed: bool
    limit: int
    remaining: int
    resets_at: datetime

    def retry_after(self, now: datetime) -> int:
        """Whole seconds until the window resets (at least 1 when refused)."""
        return max(1, math.ceil((self.resets_at - now).total_seconds())) if not self.allowed else 0


class RateLimiter:
    def __init__(self, defaults: dict[str, RateLimit] | None = None) -> None:
        self._limits: dict[str, RateLimit] = dict(defaults or {})
        # Bumped whenever a profile's quota is configured, and part of its counters' keys: counting starts
        # afresh in every process at once, without touching the counters of the old term.
        self._terms: dict[str, int] = {}

    def __setstate__(self, state: dict) -> None:
        # Limiters pickled before the counts moved to the store carried their windows (now dropped).
        self._limits = state["_limits"]
        self._terms = state.get("_terms", {})

    def __getstate__(self) -> dict:
        return {"_limits": self._limits, "_terms": self._terms}

    def has_limit(self, profile: str) -> bool:
        return profile in self._limits

    def limits(self) -> dict[str, RateLimit]:
        return dict(self._limits)

    def configure(self, profile: str, limit: RateLimit | None) -> None:
        """Set a profile's quota (None lifts it); counting starts afresh."""
        if limit is None:
            self._limits.pop(profile, None)
        else:
            self._limits[profile] = limit
        self._terms[profile] = self._terms.get(profile, 0) + 1

    def hit(self, profile: str, client: str, now: datetime, tally: Tally) -> RateDecision | None:
        """Count one request of `client` in `tally`; None when the profile has no quota."""
        limit = self._limits.get(profile)
        if limit is None:
            return None
        key = f"{profile}/{self._terms.get(profile, 0)}/{client}"
        return limit.decide(tally(key, lambda window: limit.count(window, now)))


class LocalTally:
    """A tally in this process's memory (the memory store's; and for a limiter on its own, in tests)."""

    def __init__(self) -> None:
        self._windows: dict[str, Window] = {}
        self._lock = threading.Lock()

    def __call__(self, key: str, change: Callable[[Window | None], Window]) -> Window:
        with self._lock:
            window = self._windows[key] = change(self._windows.get(key))
            return window

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()


def _microseconds(instant: datetime) -> int:
    return (instant - _EPOCH) // timedelta(microseconds=1)


def _instant(microseconds: int) -> datetime:
    return _EPOCH + timedelta(microseconds=microseconds)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
