"""The hourfleet profile's events and their webhook format.

A car share (its tenant) is the one audience: every event of the world goes to its subscriptions.
Events are named as Hourfleet names them (`carbooking_approve`, `useraccount_create`); the booking
lifecycle's come from `bookings.ACTIONS`. Worlds publish them with `Sandbox.publish`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mockserver.engine.events import Event

USERACCOUNT_CREATE = "useraccount_create"
WEBHOOK_USER_AGENT = "ServiceStack .NET Client 5.40 (fleetbox)"


def webhook_formatter(event: Event, delivery_id: str) -> tuple[dict[str, str], bytes]:
    """A delivery as Hourfleet sends it: a JSON POST naming the delivery and the event in headers."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": WEBHOOK_USER_AGENT,
        "X-Webhook-Delivery": delivery_id,
        "X-Webhook-Event": event.type,
    }
    return headers, json.dumps(event.payload).encode()
