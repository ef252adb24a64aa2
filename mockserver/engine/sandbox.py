"""Sandbox: one isolated tenant, with its own worlds (one per profile), clock, journal, quotas, faults,
events, webhooks and lock."""

from __future__ import annotations

import functools
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from .clock import VirtualClock, real_now
from .events import Event, EventLog
from .faults import FaultBook
from .journal import Journal
from .ratelimit import RateLimit, RateLimiter
from .tokens import Grant, TokenBook
from .webhooks import Dispatcher, Formatter, Webhooks


class World(Protocol):
    """A profile's state inside one sandbox."""

    def credentials(self) -> Any:
        """The credentials the control plane shows for this profile."""

    def credential_keys(self) -> Iterable[str]:
        """Secrets that identify this sandbox when a client presents them (API keys, client ids)."""

    def export(self) -> dict:
        """The world as a plain document its profile can load again."""


@dataclass(frozen=True)
class WorldFactory:
    """How a profile makes its world: generated from a seed and size, or loaded from a document."""

    generate: Callable[[int, int], dict]
    load: Callable[[dict, Sandbox], World]


class Sandbox:
    """A tenant. Every domain operation on its worlds runs under `lock`, one at a time."""

    def __init__(
        self,
        sandbox_id: str,
        seed: int,
        size: int,
        tokens: TokenBook,
        rate_limits: dict[str, RateLimit] | None = None,
        dispatcher: Dispatcher | None = None,
        formatters: dict[str, Formatter] | None = None,
        webhook_hosts: frozenset[str] = frozenset(),
    ) -> None:
        self.id = sandbox_id
        self.seed = seed
        self.size = size
        self.created_at = real_now()
        self.clock = VirtualClock()
        self.journal = Journal()
        self.rate_limits = RateLimiter(rate_limits)
        self.faults = FaultBook()
        self.webhooks = Webhooks(dispatcher or Dispatcher(), formatters or {}, self.clock.now, webhook_hosts)
        self.events = EventLog(listener=self.webhooks.on_event)
        # Re-entrant so a domain method may call another one of the same sandbox.
        self.lock = threading.RLock()
        self.worlds: dict[str, World] = {}
        self._tokens = tokens
        # The bearer that lets a control-plane client act on this sandbox alone (control/access.py).
        self.access_key = "fbk_" + secrets.token_urlsafe(24)

    def world(self, profile: str) -> Any:
        return self.worlds[profile]

    def issue_token(
        self,
        profile: str,
        subject: Any,
        lifetime: timedelta,
        mint: Callable[[datetime, datetime], str] | None = None,
        roles: Iterable[str] = (),
        principal: str = "",
    ) -> Grant:
        """Issue a token bound to this sandbox, expiring `lifetime` from now on its clock.

        `mint(issued_at, expires_at)` makes the token string in the vendor's style; by default it is
        an opaque random string.
        """
        issued_at = self.clock.now()
        expires_at = issued_at + lifetime
        grant = Grant(
            token=mint(issued_at, expires_at) if mint else secrets.token_urlsafe(32),
            sandbox_id=self.id,
            profile=profile,
            subject=subject,
            issued_at=issued_at,
            expires_at=expires_at,
            roles=frozenset(roles),
            principal=principal,
        )
        return self._tokens.add(grant)

    def now(self) -> datetime:
        return self.clock.now()

    def publish(
        self,
        profile: str,
        type_: str,
        audience: str | Iterable[str],
        payload: dict | Callable[[str], dict],
        request_id: str | None = None,
        occurred_at: datetime | None = None,
    ) -> list[Event]:
        """Record an event of a world, one per audience (and deliver each to matching webhooks).

        This is how every world publishes. `payload` is the event's data, or a function giving each
        audience its own view of it (an INVERS fleet sees a sharing from its side). `occurred_at`,
        now by default, dates events found late, such as a sharing whose end passed before anyone looked.
        """
        audiences = (audience,) if isinstance(audience, str) else tuple(audience)
        when = occurred_at or self.now()
        return [
            self.events.publish(profile, type_, each, when, payload(each) if callable(payload) else payload, request_id)
            for each in audiences
        ]


def atomic(method: Callable) -> Callable:
    """Run a world's method under its sandbox's lock; worlds keep their sandbox as `self.sandbox`."""

    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self.sandbox.lock:
            return method(self, *args, **kwargs)

    return locked
