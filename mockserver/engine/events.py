"""EventLog: the events a sandbox's worlds raise (a vehicle shared, a booking approved), kept per sandbox
so the control plane can show them and webhooks can deliver them.

An event has an audience (who may see it: an INVERS fleet, a Hourfleet car share) and a type named
after the vendor's own event names. Worlds publish through `Sandbox.publish`; the log keeps the latest
events and hands every new one to its listener (the webhook subscriptions), then to any further `listeners`
(a message broker's publisher, invers/amqp.py).
"""

from __future__ import annotations

import threading
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

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


@dataclass
class EventLog:
    """The latest `MAX_EVENTS` events of one sandbox, oldest first."""

    listener: Callable[[Event], None] | None = None
    # Further listeners, called in order after `listener`, in the process that published the event, once.
    listeners: list[Callable[[Event], None]] = field(default_factory=list)
    _events: deque[Event] = field(default_factory=lambda: deque(maxlen=MAX_EVENTS))
    _seq: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(
        self,
        profile: str,
        type_: str,
        audience: str,
        occurred_at: datetime,
        payload: dict,
        request_id: str | None = None,
    ) -> Event:
        with self._lock:
            self._seq += 1
            event = Event(str(uuid.uuid4()), self._seq, profile, type_, audience, occurred_at, payload, request_id)
            self._events.append(event)
        if self.listener is not None:
            self.listener(event)
        for listener in self.listeners:
            listener(event)
        return event

    def events(
        self, audience: str | None = None, type_: str | None = None, since: int = 0, limit: int = MAX_EVENTS
    ) -> list[Event]:
        with self._lock:
            snapshot = list(self._events)
        selected = [
            e
            for e in snapshot
            if e.seq > since and (audience is None or e.audience == audience) and (type_ is None or e.type == type_)
        ]
        return selected[-limit:]

    def clear(self) -> None:
        with self._lock:
            self._events.clear()
