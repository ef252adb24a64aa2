"""Bugs planted in the AMQP delivery of invers events (monkeypatches of what the running server looks up
when it declares queues and publishes), and the INVERS-AMQP rules that must name them. The server they
are planted in must publish to a broker (`fleetbox serve --amqp`, tests/amqp/live.py)."""

from __future__ import annotations

import dataclasses

from mockserver.brokers.amqp import AmqpPublisher
from mockserver.invers import amqp

from .selftest import PlantedBug

PROFILE = "invers"
RULES = ("INVERS-AMQP-*",)


def _flow_id_left_out(monkeypatch):
    real = amqp.message

    def message(sandbox_id, event):
        built = real(sandbox_id, event)
        built.properties.headers.pop("Flow-ID", None)
        return built

    monkeypatch.setattr(amqp, "message", message)


def _message_type_renamed(monkeypatch):
    real = amqp.message

    def message(sandbox_id, event):
        built = real(sandbox_id, event)
        built.properties.headers["Message-Type"] = event.type.lower()
        return built

    monkeypatch.setattr(amqp, "message", message)


def _events_copied_to_every_fleet(monkeypatch):
    real = amqp.InversAmqp._on_event

    def on_event(self, sandbox_id, event):
        real(self, sandbox_id, event)
        for _, _, key in self._topologies[sandbox_id].queues:
            if key.endswith("." + event.type) and not key.startswith(event.audience + "."):
                self.publisher.publish(dataclasses.replace(amqp.message(sandbox_id, event), routing_key=key))

    monkeypatch.setattr(amqp.InversAmqp, "_on_event", on_event)


def _sharing_end_withheld_from_the_partner(monkeypatch):
    real = amqp.InversAmqp._on_event

    def on_event(self, sandbox_id, event):
        partner_side = event.payload.get("fleet_id") != event.audience
        if not (partner_side and "SHARING_ENDED" in event.payload.get("reasons", ())):
            real(self, sandbox_id, event)

    monkeypatch.setattr(amqp.InversAmqp, "_on_event", on_event)


def _consumers_read_every_queue(monkeypatch):
    real = amqp.InversAmqp.topology

    def topology(self, sandbox):
        made = real(self, sandbox)
        return dataclasses.replace(made, users=tuple(dataclasses.replace(u, read=".*") for u in made.users))

    monkeypatch.setattr(amqp.InversAmqp, "topology", topology)


def _a_topic_without_queues(monkeypatch):
    real = amqp.InversAmqp.topology

    def topology(self, sandbox):
        made = real(self, sandbox)
        return dataclasses.replace(made, queues=tuple(q for q in made.queues if not q[0].endswith(".VehicleChanged")))

    monkeypatch.setattr(amqp.InversAmqp, "topology", topology)


def _messages_swapped_two_by_two(monkeypatch):
    real = AmqpPublisher.publish
    held = {}

    def publish(self, message):
        # Each message of a queue waits for the next one of the same queue, which goes first.
        if message.routing_key not in held:
            held[message.routing_key] = message
            return True
        real(self, message)
        return real(self, held.pop(message.routing_key))

    monkeypatch.setattr(AmqpPublisher, "publish", publish)


PLANTED = (
    PlantedBug("the Flow-ID header left out of AMQP messages", "INVERS-AMQP-02", RULES, _flow_id_left_out),
    PlantedBug("Message-Type not the vendor's event name", "INVERS-AMQP-02", RULES, _message_type_renamed),
    PlantedBug(
        "a vehicle's events copied to every fleet's queues", "INVERS-AMQP-03", RULES, _events_copied_to_every_fleet
    ),
    PlantedBug(
        "the end of a sharing withheld from the partner's consumer",
        "INVERS-AMQP-04",
        RULES,
        _sharing_end_withheld_from_the_partner,
    ),
    PlantedBug("every consumer may read every fleet's queues", "INVERS-AMQP-05", RULES, _consumers_read_every_queue),
    PlantedBug("the VehicleChanged queues never declared", "INVERS-AMQP-01", RULES, _a_topic_without_queues),
    PlantedBug(
        "the messages of a queue published two by two in reverse", "INVERS-AMQP-06", RULES, _messages_swapped_two_by_two
    ),
)
