"""Writes: the `@write` decorator worlds mark their writes with (recorded in the store, replayed elsewhere),
and the sandbox's own writes (the control plane's: its clock, quotas, faults and webhook subscriptions).

Counting a request against a quota is not one of them: the counts are the store's (`Store.tally`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import replica
from .faults import Fault
from .ratelimit import RateLimit
from .webhooks import Subscription

if TYPE_CHECKING:
    from .sandbox import Sandbox


def write(function: Callable) -> Callable:
    """A method that changes its sandbox (or one of its worlds): recorded in the store, replayed elsewhere.

    Worlds keep their sandbox as `self.sandbox`; the sandbox's own writes are its `_`-named static methods.
    """

    @functools.wraps(function)
    def recorded(owner, *args, **kwargs):
        sandbox = owner if isinstance(owner, SandboxWrites) else owner.sandbox
        return sandbox.run_write(_target(sandbox, owner), function, owner, args, kwargs)

    recorded.__replayed__ = function
    return recorded


def _target(sandbox: Sandbox, owner: Any) -> str:
    if owner is sandbox:
        return ""
    for name, world in sandbox.worlds.items():
        if world is owner:
            return name
    raise LookupError("a world outside its sandbox")


class SandboxWrites:
    """The writes a sandbox makes to itself, each recorded like a world's (a mix-in of `Sandbox`)."""

    # --- the control plane's writes -------------------------------------------------------------------

    def set_clock(self, instant: datetime, frozen: bool = False) -> None:
        write(SandboxWrites._set_clock)(self, instant, frozen)

    @staticmethod
    def _set_clock(self: Sandbox, instant: datetime, frozen: bool) -> None:
        self.clock.set(instant, frozen)

    def advance_clock(self, seconds: float) -> None:
        """Move the clock by `seconds` (negative moves back); a frozen clock stays frozen."""
        write(SandboxWrites._advance_clock)(self, seconds)

    @staticmethod
    def _advance_clock(self: Sandbox, seconds: float) -> None:
        self.clock.advance(seconds)

    def configure_rate_limit(self, profile: str, limit: RateLimit | None) -> None:
        write(SandboxWrites._configure_rate_limit)(self, profile, limit)

    @staticmethod
    def _configure_rate_limit(self: Sandbox, profile: str, limit: RateLimit | None) -> None:
        self.rate_limits.configure(profile, limit)

    def add_fault(self, fault: Fault) -> Fault:
        return write(SandboxWrites._add_fault)(self, fault)

    @staticmethod
    def _add_fault(self: Sandbox, fault: Fault) -> Fault:
        return self.faults.add(fault)

    def remove_fault(self, fault_id: str) -> bool:
        return write(SandboxWrites._remove_fault)(self, fault_id)

    @staticmethod
    def _remove_fault(self: Sandbox, fault_id: str) -> bool:
        return self.faults.remove(fault_id)

    def clear_faults(self) -> None:
        write(SandboxWrites._clear_faults)(self)

    @staticmethod
    def _clear_faults(self: Sandbox) -> None:
        self.faults.clear()

    def take_fault(self, profile: str, method: str, path: str) -> Fault | None:
        """The fault rule for this request, if any (an operation only when taking it changes the rules)."""
        found = self.faults.match(profile, method, path)
        if found is None or (found.remaining is None and found.probability >= 1):
            return found
        return write(SandboxWrites._take_fault)(self, profile, method, path)

    @staticmethod
    def _take_fault(self: Sandbox, profile: str, method: str, path: str) -> Fault | None:
        return self.faults.take(profile, method, path, replica.rng())

    def subscribe(self, audience: str, url: str, event_types: tuple[str, ...] = (), name: str = "") -> Subscription:
        return write(SandboxWrites._subscribe)(self, audience, url, event_types, name)

    @staticmethod
    def _subscribe(self: Sandbox, audience: str, url: str, event_types: tuple[str, ...], name: str) -> Subscription:
        return self.webhooks.subscribe(audience, url, event_types, name)

    def unsubscribe(self, subscription_id: str) -> bool:
        return write(SandboxWrites._unsubscribe)(self, subscription_id)

    @staticmethod
    def _unsubscribe(self: Sandbox, subscription_id: str) -> bool:
        return self.webhooks.unsubscribe(subscription_id)
