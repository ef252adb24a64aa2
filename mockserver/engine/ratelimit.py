"""RateLimiter: per-client request quotas of one sandbox, counted in fixed windows on its clock.

A profile may have a default quota; the control plane sets, changes or lifts any profile's quota
per sandbox. Windows run on the sandbox's virtual clock, so a test can advance past a limit.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` requests per `window_seconds` for each client."""

    limit: int
    window_seconds: float

    def to_dict(self) -> dict:
        return {"limit": self.limit, "windowSeconds": self.window_seconds}


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
        self._windows: dict[tuple[str, str], tuple[datetime, int]] = {}
        self._lock = threading.Lock()

    def has_limit(self, profile: str) -> bool:
        return profile in self._limits

    def limits(self) -> dict[str, RateLimit]:
        return dict(self._limits)

    def configure(self, profile: str, limit: RateLimit | None) -> None:
        """Set a profile's quota (None lifts it); counting starts afresh."""
        with self._lock:
            if limit is None:
                self._limits.pop(profile, None)
            else:
                self._limits[profile] = limit
            self._windows = {key: window for key, window in self._windows.items() if key[0] != profile}

    def hit(self, profile: str, client: str, now: datetime) -> RateDecision | None:
        """Count one request of `client`; None when the profile has no quota."""
        limit = self._limits.get(profile)
        if limit is None:
            return None
        key = (profile, client)
        with self._lock:
            started, count = self._windows.get(key, (now, 0))
            ends = started + timedelta(seconds=limit.window_seconds)
            if now >= ends or now < started:
                # A new window (also when the clock was moved back before the old one).
                started, count, ends = now, 0, now + timedelta(seconds=limit.window_seconds)
            allowed = count < limit.limit
            if allowed:
                count += 1
            self._windows[key] = (started, count)
        return RateDecision(allowed, limit.limit, max(0, limit.limit - count), ends)
