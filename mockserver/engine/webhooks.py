"""Webhooks: subscriptions to a sandbox's events, and their delivery as HTTP POSTs with retries.

Subscriptions belong to a sandbox (an audience and a URL, optionally a list of event types). Every
published event that matches a subscription becomes a Delivery, which the server-wide Dispatcher
sends from a background thread, retrying on failure; every attempt is kept in the sandbox's delivery
log for the control plane. How a delivery looks on the wire (headers, body) is the profile's choice.
"""

from __future__ import annotations

import ipaddress
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import httpx

from . import replica
from .errors import Unprocessable
from .events import Event
from .store import Records

# Waits before each retry, in real seconds; a delivery gets 1 + len(RETRY_DELAYS) attempts.
RETRY_DELAYS = (1.0, 5.0, 15.0)
MAX_DELIVERIES = 2000
DELIVERY_TIMEOUT_SECONDS = 5.0
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


@dataclass(frozen=True)
class Subscription:
    id: str
    audience: str
    url: str
    event_types: tuple[str, ...] = ()
    name: str = ""
    created_at: datetime | None = None

    def wants(self, event: Event) -> bool:
        return event.audience == self.audience and (not self.event_types or event.type in self.event_types)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "audience": self.audience,
            "url": self.url,
            "events": list(self.event_types),
            "name": self.name,
            "createdAt": self.created_at.isoformat().replace("+00:00", "Z") if self.created_at else None,
        }


@dataclass
class Attempt:
    at: datetime
    status: int | None
    error: str | None
    duration_ms: float


@dataclass
class Delivery:
    """One event on its way to one subscription."""

    id: str
    subscription: Subscription
    event: Event
    headers: dict[str, str]
    body: bytes
    state: str = PENDING
    attempts: list[Attempt] = field(default_factory=list)
    seq: int = 0

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "subscriptionId": self.subscription.id,
            "url": self.subscription.url,
            "eventId": self.event.id,
            "eventType": self.event.type,
            "state": self.state,
            "attempts": [
                {
                    "at": a.at.isoformat().replace("+00:00", "Z"),
                    "status": a.status,
                    "error": a.error,
                    "durationMs": round(a.duration_ms, 3),
                }
                for a in self.attempts
            ],
        }


# Turns an event (and the delivery's id) into the headers and body the profile's vendor would send.
Formatter = Callable[[Event, str], tuple[dict[str, str], bytes]]


def host_allowed(url: str, extra_hosts: frozenset[str]) -> bool:
    """Loopback addresses always; other hosts only when the server was started allowing them.

    A sandbox must not become a way to send requests anywhere on a network (a fuzzer registering
    random URLs would otherwise do just that).
    """
    host = (httpx.URL(url).host or "").lower()
    if host == "localhost" or host in extra_hosts:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Webhooks:
    """One sandbox's subscriptions and delivery log."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        formatters: dict[str, Formatter],
        now: Callable[[], datetime],
        extra_hosts: frozenset[str],
        deliveries: Records,
    ) -> None:
        self._dispatcher = dispatcher
        self._formatters = formatters
        self._now = now
        self._extra_hosts = extra_hosts
        self._subscriptions: dict[str, Subscription] = {}
        self._deliveries = deliveries
        self._lock = threading.Lock()

    def subscribe(
        self,
        audience: str,
        url: str,
        event_types: tuple[str, ...] = (),
        name: str = "",
        subscription_id: str | None = None,
    ) -> Subscription:
        """A new subscription; `Unprocessable` for a URL whose host this server may not call."""
        try:
            allowed = host_allowed(url, self._extra_hosts)
        except httpx.InvalidURL:
            allowed = False
        if not allowed:
            raise Unprocessable(
                f"Webhooks may only call loopback addresses unless the server allows the host "
                f"(fleetbox serve --webhook-host HOST): {url!r}"
            )
        subscription = Subscription(
            subscription_id or replica.new_uuid(), audience, url, tuple(event_types), name, self._now()
        )
        with self._lock:
            self._subscriptions[subscription.id] = subscription
        return subscription

    def unsubscribe(self, subscription_id: str) -> bool:
        with self._lock:
            return self._subscriptions.pop(subscription_id, None) is not None

    def subscriptions(self, audience: str | None = None) -> list[Subscription]:
        with self._lock:
            return [s for s in self._subscriptions.values() if audience is None or s.audience == audience]

    def subscription_table(self) -> dict[str, Subscription]:
        with self._lock:
            return dict(self._subscriptions)

    def set_subscription_table(self, table: dict[str, Subscription]) -> None:
        with self._lock:
            self._subscriptions = dict(table)

    def deliveries(self, subscription_id: str | None = None) -> list[Delivery]:
        return [d for d in self._deliveries.items() if subscription_id is None or d.subscription.id == subscription_id]

    def clear(self) -> None:
        """Forget subscriptions (on reset and import; the store drops the deliveries)."""
        with self._lock:
            self._subscriptions.clear()

    def on_event(self, event: Event) -> None:
        """Queue a delivery of `event` to every subscription that wants it."""
        formatter = self._formatters.get(event.profile)
        if formatter is None:
            return
        for subscription in self.subscriptions(event.audience):
            if subscription.wants(event):
                delivery_id = str(uuid.uuid4())
                headers, body = formatter(event, delivery_id)
                delivery = self._deliveries.append(
                    lambda seq, s=subscription, i=delivery_id, h=headers, b=body: Delivery(i, s, event, h, b, seq=seq)
                )
                self._dispatcher.submit(delivery, self._now, self._deliveries)


class Dispatcher:
    """Sends deliveries from one background thread, retrying after RETRY_DELAYS, in order of due time."""

    def __init__(self, retry_delays: tuple[float, ...] = RETRY_DELAYS) -> None:
        self._retry_delays = retry_delays
        self._queue: queue.PriorityQueue = queue.PriorityQueue()
        self._counter = 0
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, delivery: Delivery, now: Callable[[], datetime], log: Records, due: float | None = None) -> None:
        with self._lock:
            self._counter += 1
            self._queue.put((due or time.monotonic(), self._counter, delivery, (now, log)))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="fleetbox-webhooks", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        with httpx.Client(timeout=DELIVERY_TIMEOUT_SECONDS) as client:
            while True:
                due, _, delivery, now = self._queue.get()
                wait = due - time.monotonic()
                if wait > 0:
                    # Not due yet: put it back and sleep a little (a newer, earlier item may come).
                    self._queue.put((due, _, delivery, now))
                    time.sleep(min(wait, 0.05))
                    continue
                self._attempt(client, delivery, now)

    def _attempt(self, client: httpx.Client, delivery: Delivery, context: tuple) -> None:
        now, log = context
        began = time.perf_counter()
        status, error = None, None
        try:
            response = client.post(delivery.subscription.url, content=delivery.body, headers=delivery.headers)
            status = response.status_code
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}"
        delivery.attempts.append(Attempt(now(), status, error, (time.perf_counter() - began) * 1000))
        if status is not None and 200 <= status < 300:
            delivery.state = DELIVERED
        elif len(delivery.attempts) > len(self._retry_delays):
            delivery.state = FAILED
        else:
            self.submit(delivery, now, log, time.monotonic() + self._retry_delays[len(delivery.attempts) - 1])
        try:
            log.put(delivery.seq, delivery)
        except Exception:  # noqa: BLE001 - a store that went away loses this line of the log, never the thread
            pass
