"""The control plane of the fleetbox sandbox under test, for every profile's rules about its clock, quotas and events.

Only a fleetbox sandbox has one (`/__sandbox/sandboxes/<id>`); rules that need it are "not checked"
against other servers. Its answers are the suite's means, not evidence, so its exchanges are not logged.
It acts through the control plane's one client (`client/`); a refusal fails the rule that asked.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from .client import ControlClient, SandboxError

# A fleetbox server started with a control token wants it on every control-plane call.
TOKEN_VARIABLE = "FLEETBOX_CONTROL_TOKEN"


def split_sandbox_url(url: str) -> tuple[str, str]:
    """(the control plane's root, the sandbox id) of `.../__sandbox/sandboxes/<id>`."""
    root, _, sandbox_id = url.rstrip("/").rpartition("/sandboxes/")
    return root, sandbox_id


class ControlPlane:
    """One sandbox's control plane, acting for one profile (its quota and events are that profile's)."""

    def __init__(self, url: str, profile: str, token: str | None = None) -> None:
        self.url = url
        self.profile = profile
        root, sandbox_id = split_sandbox_url(url)
        self.client = ControlClient(root, token or os.environ.get(TOKEN_VARIABLE))
        self.sandbox = self.client.sandbox(sandbox_id)
        self._advance_listeners: list[Callable[[float], None]] = []

    def on_advance(self, listener: Callable[[float], None]) -> None:
        """Tell `listener` how far the clock is moved (token books renew by the sandbox's time too)."""
        self._advance_listeners.append(listener)

    # --- the clock -------------------------------------------------------------------------------

    def now(self) -> datetime:
        with refusals_fail():
            return self.sandbox.clock.now()

    def advance(self, seconds: float) -> None:
        with refusals_fail():
            self.sandbox.clock.advance(seconds)
        for listener in self._advance_listeners:
            listener(seconds)

    # --- quotas ----------------------------------------------------------------------------------

    def rate_limit(self) -> dict | None:
        """The profile's quota (None when it is lifted)."""
        with refusals_fail():
            limit = self.sandbox.rate_limits().get(self.profile)
        return None if limit is None else limit.to_dict()

    def set_rate_limit(self, limit: dict | None) -> None:
        with refusals_fail():
            self.sandbox.set_rate_limits({self.profile: limit})

    # --- events and webhooks ---------------------------------------------------------------------

    def events(self, audience: str, since: int = 0) -> list[dict]:
        with refusals_fail():
            return self.sandbox.call("GET", "/events", params={"audience": audience, "since": since})["events"]

    def last_event_seq(self) -> int:
        with refusals_fail():
            latest = self.sandbox.events(limit=1)
        return latest[-1].seq if latest else 0

    def subscribe(self, audience: str, url: str) -> dict:
        with refusals_fail():
            return self.sandbox.call(
                "POST", "/webhooks", json={"audience": audience, "url": url, "name": "fleetbox check"}
            )

    def unsubscribe(self, webhook_id: str) -> None:
        # Clean-up: a subscription already gone is no failure of the rule.
        try:
            self.sandbox.webhooks.remove(webhook_id)
        except SandboxError:
            pass

    def deliveries(self, webhook_id: str) -> list[dict]:
        with refusals_fail():
            return self.sandbox.call("GET", "/deliveries", params={"subscription": webhook_id})["deliveries"]

    def close(self) -> None:
        self.client.close()


@contextmanager
def refusals_fail() -> Iterator[None]:
    """Turn a refusal of the control plane into the rule's failure (an AssertionError, as before the client)."""
    try:
        yield
    except SandboxError as error:
        raise AssertionError(
            f"the sandbox's control plane answered {error.status} to {error.method} {error.url}: "
            f"{json.dumps(error.problem)[:200]}"
        ) from error
