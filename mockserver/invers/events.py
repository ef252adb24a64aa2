"""The invers profile's events, named after INVERS' event types (research A.8), and their webhook format.

Every fleet is an audience: a vehicle's events go to its owner and, while it is shared, to the partner
too. Sharing and master-data changes are `VehicleChanged` with the vendor's `reasons` list; a command
raises `VehicleCommandExecuted` (fleetbox's name, in the vendor's pattern) and the state it recorded
`VehicleStateRecorded`. Events a request causes carry its flow id. Worlds publish them with
`Sandbox.publish`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from fixtures.invers import rfc3339

from . import views
from .records import Fleet, Sharing, Vehicle

if TYPE_CHECKING:
    from mockserver.engine.events import Event

VEHICLE_CHANGED = "VehicleChanged"
VEHICLE_STATE_RECORDED = "VehicleStateRecorded"
VEHICLE_COMMAND_EXECUTED = "VehicleCommandExecuted"
# Reasons of a VehicleChanged event (the vendor documents MASTER_DATA_CHANGED; the sharing ones are fleetbox's).
MASTER_DATA_CHANGED = "MASTER_DATA_CHANGED"
SHARING_STARTED = "SHARING_STARTED"
SHARING_CHANGED = "SHARING_CHANGED"
SHARING_ENDED = "SHARING_ENDED"
MESSAGE_VERSION = "1"


def sharing_changed(
    owner: Fleet, partner: Fleet, vehicle: Vehicle, sharing: Sharing, reason: str
) -> Callable[[str], dict]:
    """The payload of a sharing's VehicleChanged event, as each fleet of its audience sees the sharing."""

    def payload(fleet_id: str) -> dict:
        return {
            "vehicle_id": vehicle.id,
            "fleet_id": vehicle.fleet_id,
            "reasons": [reason],
            "sharing": views.sharing_view(owner, sharing, partner, fleet_id),
        }

    return payload


def webhook_formatter(event: Event, delivery_id: str) -> tuple[dict[str, str], bytes]:
    """A delivery as an HTTP POST: the event in snake_case, with the message headers of INVERS' events."""
    headers = {
        "Content-Type": "application/json",
        "Message-Type": event.type,
        "Message-Version": MESSAGE_VERSION,
        "Delivery-ID": delivery_id,
    }
    if event.request_id:
        headers["Flow-ID"] = event.request_id
    return headers, event_body(event)


def event_body(event: Event) -> bytes:
    """The JSON body of an event, the same for a webhook delivery and an AMQP message (invers/amqp.py)."""
    body = {
        "id": event.id,
        "type": event.type,
        "occurred_at": rfc3339(event.occurred_at),
        "fleet_id": event.audience,
        "flow_id": event.request_id,
        "data": event.payload,
    }
    return json.dumps(body, separators=(",", ":")).encode()
