"""EventLog: the events a sandbox's worlds raise (a vehicle shared, a booking approved), kept per sandbox
so the control plane can show them and webhooks can deliver them.

An event has an audience (who may see it: an INVERS fleet, a Hourfleet car share) and a type named
after the vendor's own event names. Worlds publish through `Sandbox.publish`; the log keeps the latest
events; the sandbox hands every new one to its listeners (the webhook subscriptions, a message broker's
publisher: invers/amqp.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from .store import Records

MAX_EVENTS = 5000


@dataclass(frozen=True)
class Event:
    id: str
    seq: int
    profile: str
    type: str
    audience: str
    occurred_at: datetime
    payload: dict
    # The id of the request that caused it (INVERS calls it the flow id), when one did.
    request_id: str | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "seq": self.seq,
            "profile": self.profile,
            "type": self.type,
            "audience": self.audience,
            "occurredAt": self.occurred_at.isoformat().replace("+00:00", "Z"),
            "requestId": self.request_id,
            "payload": self.payload,
        }


class EventLog:
    """The latest `MAX_EVENTS` events of one sandbox, oldest first, kept in the store."""

    def __init__(self, records: Records) -> None:
        self._records = records

    def publish(
        self,
        profile: str,
        type_: str,
        audience: str,
        occurred_at: datetime,
        payload: dict,
        request_id: str | None = None,
    ) -> Event:
        return self._records.append(
            lambda seq: Event(str(uuid.uuid4()), seq, profile, type_, audience, occurred_at, payload, request_id)
        )

    def events(
        self, audience: str | None = None, type_: str | None = None, since: int = 0, limit: int = MAX_EVENTS
    ) -> list[Event]:
        selected = [
            e
            for e in self._records.items(since)
            if (audience is None or e.audience == audience) and (type_ is None or e.type == type_)
        ]
        return selected[-limit:]

    def clear(self) -> None:
        self._records.clear()
