"""The control plane of the fleetbox sandbox under test, for every profile's rules about its clock, quotas and events.

Only a fleetbox sandbox has one (`/__sandbox/sandboxes/<id>`); rules that need it are "not checked"
against other servers. Its answers are the suite's means, not evidence, so its exchanges are not logged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import httpx

from .http import quiet_client


class ControlPlane:
    """One sandbox's control plane, acting for one profile (its quota and events are that profile's)."""

    def __init__(self, url: str, profile: str, token: str | None = None) -> None:
        self.url = url
        self.profile = profile
        # A server with a control token wants it, or the sandbox's access key, on every call.
        self.http = quiet_client(headers={"Authorization": f"Bearer {token}"} if token else None)
        self._advance_listeners: list[Callable[[float], None]] = []

    def on_advance(self, listener: Callable[[float], None]) -> None:
        """Tell `listener` how far the clock is moved (token books renew by the sandbox's time too)."""
        self._advance_listeners.append(listener)

    # --- the clock -------------------------------------------------------------------------------

    def now(self) -> datetime:
        text = self._ok(self.http.get(f"{self.url}/clock"))["now"]
        return datetime.fromisoformat(text.upper().replace("Z", "+00:00"))

    def advance(self, seconds: float) -> None:
        self._ok(self.http.post(f"{self.url}/clock/advance", json={"seconds": seconds}))
        for listener in self._advance_listeners:
            listener(seconds)

    # --- quotas ----------------------------------------------------------------------------------

    def rate_limit(self) -> dict | None:
        """The profile's quota (None when it is lifted)."""
        return self._ok(self.http.get(f"{self.url}/rate-limits")).get(self.profile)

    def set_rate_limit(self, limit: dict | None) -> None:
        self._ok(self.http.put(f"{self.url}/rate-limits", json={self.profile: limit}))

    # --- events and webhooks ---------------------------------------------------------------------

    def events(self, audience: str, since: int = 0) -> list[dict]:
        return self._ok(self.http.get(f"{self.url}/events", params={"audience": audience, "since": since}))["events"]

    def last_event_seq(self) -> int:
        latest = self._ok(self.http.get(f"{self.url}/events", params={"limit": 1}))["events"]
        return latest[-1]["seq"] if latest else 0

    def subscribe(self, audience: str, url: str) -> dict:
        body = {"audience": audience, "url": url, "name": "fleetbox check"}
        return self._ok(self.http.post(f"{self.url}/webhooks", json=body), 201)

    def unsubscribe(self, webhook_id: str) -> None:
        self.http.delete(f"{self.url}/webhooks/{webhook_id}")

    def deliveries(self, webhook_id: str) -> list[dict]:
        return self._ok(self.http.get(f"{self.url}/deliveries", params={"subscription": webhook_id}))["deliveries"]

    def close(self) -> None:
        self.http.close()

    def _ok(self, response: httpx.Response, status: int = 200) -> dict:
        if response.status_code != status:
            request = response.request
            raise AssertionError(
                f"the sandbox's control plane answered {response.status_code} to {request.method} {request.url}: "
                f"{response.text[:200]}"
            )
        return response.json()
