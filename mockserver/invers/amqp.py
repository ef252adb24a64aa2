"""INVERS events over AMQP (research A.8): per fleet, one durable queue per topic, read by the fleet's own
event consumer; the messages carry the legacy headers `Message-Type`, `Message-Version` and `Flow-ID`.

INVERS does not publish its exchange, routing keys or queue names, so fleetbox chose these and keeps
them stable (the README and invers.yaml's description repeat them):

- one durable direct exchange per sandbox, `fleetbox.<sandbox>.events`;
- per fleet and topic (`VehicleChanged`, `VehicleStateRecorded`, `VehicleCommandExecuted`) one durable
  queue `fleetbox.<sandbox>.<fleet_id>.<topic>`, bound with the routing key `<fleet_id>.<topic>`;
- messages are persistent JSON (the webhook's body), with `message_id` the event id, `type` the topic,
  `timestamp` when it occurred, `correlation_id` and the `Flow-ID` header the flow id of the request
  that caused it;
- with `--amqp-admin`, each fleet's consumer is the broker user `fleetbox.<sandbox>.<fleet_id>`, who may
  read its own queues and nothing else; without it, consumers share the server's own AMQP user.

Sandboxes share the broker's virtual host (the `--amqp` URL's) and are kept apart by the name prefix;
deleting a sandbox deletes its exchange, queues and users, and resetting it starts them over.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

import pika

from mockserver.brokers.amqp import AmqpPublisher, Message, Topology, redacted, vhost_of
from mockserver.brokers.rabbitmq_admin import User

from . import events
from .contract import NAME

if TYPE_CHECKING:
    from mockserver.engine.events import Event
    from mockserver.engine.sandbox import Sandbox

TOPICS = (events.VEHICLE_CHANGED, events.VEHICLE_STATE_RECORDED, events.VEHICLE_COMMAND_EXECUTED)
PERSISTENT = 2
# How long creating or resetting a sandbox waits for its queues, when the broker is there.
DECLARE_WAIT_SECONDS = 5.0

log = logging.getLogger("fleetbox.amqp")


def exchange_name(sandbox_id: str) -> str:
    return f"fleetbox.{sandbox_id}.events"


def queue_name(sandbox_id: str, fleet_id: str, topic: str) -> str:
    return f"fleetbox.{sandbox_id}.{fleet_id}.{topic}"


def routing_key(fleet_id: str, topic: str) -> str:
    return f"{fleet_id}.{topic}"


def consumer_name(sandbox_id: str, fleet_id: str) -> str:
    return f"fleetbox.{sandbox_id}.{fleet_id}"


def message(sandbox_id: str, event: Event) -> Message:
    """An invers event as the AMQP message its fleet's queue of its topic receives."""
    headers = {"Message-Type": event.type, "Message-Version": events.MESSAGE_VERSION}
    if event.request_id:
        headers["Flow-ID"] = event.request_id
    properties = pika.BasicProperties(
        content_type="application/json",
        delivery_mode=PERSISTENT,
        message_id=event.id,
        type=event.type,
        timestamp=int(event.occurred_at.timestamp()),
        correlation_id=event.request_id,
        app_id="fleetbox",
        headers=headers,
    )
    return Message(
        sandbox_id,
        exchange_name(sandbox_id),
        routing_key(event.audience, event.type),
        events.event_body(event),
        properties,
    )


class InversAmqp:
    """Told of every sandbox's life by the registry: declares its queues (and users), publishes its
    invers events, and removes them all when the sandbox goes."""

    def __init__(self, publisher: AmqpPublisher) -> None:
        self.publisher = publisher
        self._topologies: dict[str, Topology] = {}
        parts = urlsplit(publisher.url)
        # Salted with the server's own broker password, so nobody derives a consumer's password from ids alone.
        self._salt = parts.password or ""

    # --- the registry's observer ------------------------------------------------------------------

    def created(self, sandbox: Sandbox) -> None:
        if NAME not in sandbox.worlds:
            return
        sandbox.event_buses[NAME] = SandboxBus(self, sandbox.id)
        sandbox.listeners.append(lambda event: self._on_event(sandbox.id, event))
        self._declare(sandbox)

    def replaced(self, sandbox: Sandbox) -> None:
        old = self._topologies.pop(sandbox.id, None)
        if old is not None:
            self.publisher.remove(old)
        self._declare(sandbox)

    def deleted(self, sandbox: Sandbox) -> None:
        old = self._topologies.pop(sandbox.id, None)
        if old is not None:
            self.publisher.remove(old)

    # --- what a sandbox has on the broker -----------------------------------------------------------

    def topology(self, sandbox: Sandbox) -> Topology:
        fleets = sorted(sandbox.world(NAME).fleets)
        exchange = exchange_name(sandbox.id)
        queues = tuple(
            (queue_name(sandbox.id, fleet, topic), exchange, routing_key(fleet, topic))
            for fleet in fleets
            for topic in TOPICS
        )
        users = ()
        if self.publisher.admin is not None:
            users = tuple(
                User(
                    consumer_name(sandbox.id, fleet),
                    self.password(sandbox.id, fleet),
                    "^" + re.escape(f"fleetbox.{sandbox.id}.{fleet}.") + "[A-Za-z]+$",
                )
                for fleet in fleets
            )
        return Topology(sandbox.id, (exchange,), queues, users)

    def password(self, sandbox_id: str, fleet_id: str) -> str:
        seed = f"fleetbox/{self._salt}/{sandbox_id}/invers/{fleet_id}/amqp"
        return hashlib.sha256(seed.encode()).hexdigest()[:32]

    def consumer(self, sandbox_id: str, fleet_id: str) -> dict:
        """How a fleet's event consumer connects and which queue holds each topic."""
        parts = urlsplit(self.publisher.url)
        if self.publisher.admin is not None:
            username, password = consumer_name(sandbox_id, fleet_id), self.password(sandbox_id, fleet_id)
        else:
            username, password = parts.username or "guest", parts.password or "guest"
        host = parts.hostname or "localhost"
        port = parts.port or (5671 if parts.scheme == "amqps" else 5672)
        vhost = vhost_of(self.publisher.url)
        userinfo = f"{quote(username, safe='')}:{quote(password, safe='')}"
        return {
            "url": f"{parts.scheme}://{userinfo}@{host}:{port}/{quote(vhost, safe='')}",
            "username": username,
            "password": password,
            "host": host,
            "port": port,
            "virtual_host": vhost,
            "queues": {topic: queue_name(sandbox_id, fleet_id, topic) for topic in TOPICS},
        }

    def status(self, sandbox_id: str) -> dict:
        state = self.publisher.status
        return {
            "enabled": True,
            "url": redacted(self.publisher.url),
            "connected": state.connected,
            "consumerUsers": self.publisher.admin is not None,
            "pending": self.publisher.pending(sandbox_id),
            "published": state.published[sandbox_id],
            "dropped": state.dropped[sandbox_id],
            "lastError": state.last_error,
        }

    def _declare(self, sandbox: Sandbox) -> None:
        topology = self.topology(sandbox)
        self._topologies[sandbox.id] = topology
        self.publisher.declare(topology, wait=DECLARE_WAIT_SECONDS)

    def _on_event(self, sandbox_id: str, event: Event) -> None:
        if event.profile != NAME:
            return
        try:
            self.publisher.publish(message(sandbox_id, event))
        except Exception:  # noqa: BLE001 - an event bus must never fail the vendor call that raised the event
            log.exception("fleetbox: could not queue an AMQP message for event %s", event.id)


class SandboxBus:
    """One sandbox's view of the event bus: what its worlds' credentials and the control plane show."""

    def __init__(self, bridge: InversAmqp, sandbox_id: str) -> None:
        self._bridge = bridge
        self._sandbox_id = sandbox_id

    def consumer(self, fleet_id: str) -> dict:
        return self._bridge.consumer(self._sandbox_id, fleet_id)

    def status(self) -> dict:
        return self._bridge.status(self._sandbox_id)


def enable(registry, url: str, admin_url: str | None = None, buffer: int | None = None) -> InversAmqp:
    """Publish every invers event of every sandbox of `registry` to the broker at `url` from now on."""
    from mockserver.brokers.amqp import DEFAULT_BUFFER
    from mockserver.brokers.rabbitmq_admin import RabbitAdmin

    admin = RabbitAdmin(admin_url, vhost_of(url)) if admin_url else None
    bridge = InversAmqp(AmqpPublisher(url, admin, buffer or DEFAULT_BUFFER))
    registry.observe(bridge)
    return bridge


def banner_line(bridge: InversAmqp) -> str:
    users = "a user per fleet (--amqp-admin)" if bridge.publisher.admin else "the server's own user, shared"
    return f"invers events over AMQP: {redacted(bridge.publisher.url)}, consumers log in as {users}"
