"""VirtualClock: a sandbox's own time, which tests move instead of waiting."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from . import replica
from .errors import Conflict

UTC = UTC
# The clock may be moved anywhere in this window; outside it timestamps stop being plausible
# (and some formats stop being representable).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
_TICK = timedelta(milliseconds=1)


# The machine's time in UTC, or an operation's pinned instant (see replica.py).
real_now = replica.real_now


class VirtualClock:
    """Real time shifted by an offset, or frozen at an instant.

    `tick()` hands out write timestamps that strictly increase, so two writes never share one,
    even on a frozen clock; vendors' `ModifiedOn`-style fields rely on that.
    """

    def __init__(self, offset: timedelta = timedelta(0), frozen_at: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = offset
        self._frozen_at = frozen_at
        self._last_tick: datetime | None = None

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def now(self) -> datetime:
        frozen_at = self._frozen_at
        return frozen_at if frozen_at is not None else real_now() + self._offset

    def offset_seconds(self) -> float:
        """How far virtual time is from real time, right now."""
        return (self.now() - real_now()).total_seconds()

    def tick(self) -> datetime:
        """The current instant, moved forward if needed to stay after the previous tick."""
        with self._lock:
            instant = self.now()
            if self._last_tick is not None and instant <= self._last_tick:
                instant = self._last_tick + _TICK
            self._last_tick = instant
            return instant

    def advance(self, seconds: float) -> None:
        """Move the clock by `seconds` (negative moves back); a frozen clock stays frozen."""
        target = self.now() + timedelta(seconds=seconds)
        self.set(target, frozen=self.frozen)

    def set(self, instant: datetime, frozen: bool = False) -> None:
        """Put the clock at `instant`; it then runs on from there unless `frozen`."""
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)
        if not EARLIEST <= instant < LATEST:
            raise Conflict(f"The clock must stay between {EARLIEST.year} and {LATEST.year}.")
        with self._lock:
            self._frozen_at = instant if frozen else None
            self._offset = instant - real_now()
            self._last_tick = None

    def restore(self, other: VirtualClock) -> None:
        """Take over another clock's setting (used on reset and import, so holders keep this object)."""
        with self._lock:
            self._offset, self._frozen_at = other._offset, other._frozen_at
            self._last_tick = None

    def state(self) -> tuple:
        """Everything the clock holds, for a sandbox's snapshot."""
        return self._offset, self._frozen_at, self._last_tick

    def set_state(self, state: tuple) -> None:
        with self._lock:
            self._offset, self._frozen_at, self._last_tick = state

    def snapshot(self) -> dict:
        """The clock as plain data (see `from_snapshot`)."""
        frozen_at = self._frozen_at
        return {
            "offsetSeconds": self._offset.total_seconds(),
            "frozenAt": frozen_at.isoformat().replace("+00:00", "Z") if frozen_at else None,
        }

    @classmethod
    def from_snapshot(cls, data: dict) -> VirtualClock:
        """Rebuild a clock from `snapshot()` data; `ValueError` if the data cannot be a clock."""
        frozen_at = data.get("frozenAt")
        clock = cls(
            offset=timedelta(seconds=data["offsetSeconds"]),
            frozen_at=datetime.fromisoformat(frozen_at) if frozen_at else None,
        )
        if clock._frozen_at is not None and clock._frozen_at.tzinfo is None:
            clock._frozen_at = clock._frozen_at.replace(tzinfo=UTC)
        if not EARLIEST <= clock.now() < LATEST:
            raise ValueError(f"the clock must stay between {EARLIEST.year} and {LATEST.year}")
        return clock
