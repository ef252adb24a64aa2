"""Events over AMQP, as INVERS delivers them (research A.8): each fleet's event consumer reads its own
queues, one per topic, with its own credentials. The rules need `event_consumer` entries in the
credentials (a fleetbox server started with `--amqp` lists them) and are not checked without.

Messages are told apart by their `Flow-ID` header, the flow id of the request that caused them; a rule
acknowledges only its own, so running the check leaves a real fleet's other events in its queues.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .. import expect
from ..rules import rule
from .event_consumer import ConsumerRefused, EventConsumer
from .problems import FLOW_ID
from .steps import Fleet

AREA = "Events over AMQP"
WAIT_SECONDS = 15
# How long a consumer that must not hear of something keeps listening after the others heard of it.
QUIET_SECONDS = 1.5
VEHICLE_CHANGED = "VehicleChanged"
ACCESS_REFUSED = 403


class Consumers:
    """Opens fleets' consumers for one rule, and closes them claiming only the rule's flows."""

    def __init__(self) -> None:
        self.made: list[EventConsumer] = []
        self.flows: list[str] = []

    def of(self, fleet: Fleet, topics: tuple[str, ...] = ()) -> EventConsumer:
        consumer = self.credential(fleet)
        missing = [topic for topic in topics if topic not in consumer.get("queues", {})]
        if missing:
            pytest.skip(f"not checked: fleet {fleet.fleet_id}'s event consumer has no queue for {', '.join(missing)}")
        try:
            self.made.append(EventConsumer(consumer))
        except ConsumerRefused as refused:
            raise AssertionError(
                f"fleet {fleet.fleet_id}'s event consumer could not read its queues: {refused}"
            ) from None
        return self.made[-1]

    @staticmethod
    def credential(fleet: Fleet) -> dict:
        consumer = fleet.credential.get("event_consumer")
        if not consumer:
            pytest.skip(f"not checked: the credentials give fleet {fleet.fleet_id} no event_consumer")
        return consumer

    def flow(self, response) -> str:
        """The flow id of a request the rule made (its events are the rule's to claim)."""
        flow_id = response.headers.get(FLOW_ID)
        expect.true(bool(flow_id), f"the answer to {response.request.method} {response.request.url.path} has a flow id")
        self.flows.append(flow_id)
        return flow_id

    def close(self) -> None:
        for consumer in self.made:
            consumer.close(self.flows)


@pytest.fixture
def consumers() -> Iterator[Consumers]:
    made = Consumers()
    yield made
    made.close()


def heard(consumer: EventConsumer, flow_id: str, topic: str | None = None, count: int = 1) -> list:
    """Wait for `count` messages of a flow (of one topic) and return them, failing when they do not come."""
    consumer.wait(lambda: len(consumer.of_flows([flow_id], topic)) >= count, WAIT_SECONDS)
    found = consumer.of_flows([flow_id], topic)
    expect.true(
        len(found) >= count,
        f"{count} {topic or 'event'} message(s) with Flow-ID {flow_id} within {WAIT_SECONDS} s (got {len(found)})",
    )
    return found


@rule(
    "INVERS-AMQP-01",
    "each fleet's event consumer logs in with its own credentials and reads every one of its queues",
    AREA,
)
def test_consumers_read_their_queues(clients, consumers):
    listed = [client for client in clients if client.get("event_consumer")]
    if not listed:
        pytest.skip("not checked: the credentials give no fleet an event_consumer")
    for client in listed:
        consumers.of(Fleet(client, None, None))


@rule(
    "INVERS-AMQP-02",
    "starting a sharing delivers VehicleChanged to the owner's and the partner's consumers, with the headers "
    "Message-Type, Message-Version and Flow-ID (the request's X-INVERS-Flow-ID)",
    AREA,
    writes="a sharing (started, ended)",
)
def test_sharing_started_reaches_both(owner, partner, consumers):
    at_owner, at_partner = consumers.of(owner, (VEHICLE_CHANGED,)), consumers.of(partner, (VEHICLE_CHANGED,))
    car = owner.find()
    response = owner.start_sharing(car["id"], partner.fleet_id)
    expect.status(response, 200)
    flow_id = consumers.flow(response)
    for fleet, consumer in ((owner, at_owner), (partner, at_partner)):
        message = heard(consumer, flow_id, VEHICLE_CHANGED)[0]
        expect.equal(message.message_type, VEHICLE_CHANGED, f"the Message-Type header at fleet {fleet.fleet_id}")
        expect.true(bool(message.headers.get("Message-Version")), "the message has a Message-Version header")
        expect.true(message.json() is not None, "the message's body is JSON")
        expect.true(message.names(car["id"]), f"the message's body names the vehicle {car['id']}")


@rule(
    "INVERS-AMQP-03",
    "a partner's command on a shared vehicle reaches the owner's and the partner's consumers, each message in "
    "the queue of its Message-Type, and no other fleet's consumer",
    AREA,
    writes="a sharing (started, ended); a vehicle's locks (commanded, then back)",
)
def test_command_reaches_owner_and_partner_only(owner, partner, outsider, consumers):
    at_owner, at_partner, at_outsider = consumers.of(owner), consumers.of(partner), consumers.of(outsider)
    car = owner.idle_car()
    owner.keep_state(car)
    owner.share(car["id"], partner.fleet_id)
    response = partner.http.post(f"/vehicles/{car['id']}/commands/unlock-central-lock")
    expect.status(response, 200)
    flow_id = consumers.flow(response)
    for consumer in (at_owner, at_partner):
        for message in heard(consumer, flow_id):
            expect.equal(message.message_type, message.topic, f"the Message-Type of a message in {message.queue}")
            expect.true(message.names(car["id"]), f"the message's body names the vehicle {car['id']}")
    at_outsider.settle(QUIET_SECONDS)
    expect.equal(at_outsider.of_flows([flow_id]), [], f"messages of the command at fleet {outsider.fleet_id}")


@rule(
    "INVERS-AMQP-04",
    "ending a sharing reaches both consumers; after it the vehicle's events reach the owner's consumer and no "
    "longer the partner's",
    AREA,
    writes="a sharing (started, ended); a vehicle's locks (commanded, then back)",
)
def test_after_the_end_only_the_owner_hears(owner, partner, consumers):
    at_owner, at_partner = consumers.of(owner, (VEHICLE_CHANGED,)), consumers.of(partner, (VEHICLE_CHANGED,))
    car = owner.idle_car()
    owner.keep_state(car)
    owner.share(car["id"], partner.fleet_id)
    ended = owner.http.delete(f"/vehicles/{car['id']}/sharing")
    expect.status(ended, 200, 204)
    end_flow = consumers.flow(ended)
    heard(at_owner, end_flow, VEHICLE_CHANGED)
    heard(at_partner, end_flow, VEHICLE_CHANGED)
    command = owner.http.post(f"/vehicles/{car['id']}/commands/unlock-central-lock")
    expect.status(command, 200)
    command_flow = consumers.flow(command)
    heard(at_owner, command_flow)
    at_partner.settle(QUIET_SECONDS)
    expect.equal(
        at_partner.of_flows([command_flow]), [], "messages at the former partner of a command after the sharing ended"
    )


@rule("INVERS-AMQP-05", "a fleet's event consumer may not read another fleet's queues", AREA)
def test_consumers_read_only_their_own_queues(owner, partner, consumers):
    mine, theirs = consumers.credential(partner), consumers.credential(owner)
    if mine.get("username") and mine.get("username") == theirs.get("username"):
        pytest.skip("not checked: the two fleets' event consumers share one broker user")
    if mine["url"] == theirs["url"]:
        pytest.skip("not checked: the two fleets' event consumers share one URL and so one broker user")
    try:
        intruder = EventConsumer(mine, queues=theirs["queues"])
    except ConsumerRefused as refused:
        expect.equal(refused.code, ACCESS_REFUSED, f"the broker's reply code to the intrusion ({refused})")
        return
    intruder.close()
    raise AssertionError(f"fleet {partner.fleet_id}'s consumer was let read fleet {owner.fleet_id}'s queues")


@rule(
    "INVERS-AMQP-06",
    "a vehicle's messages of one topic arrive in the order of the requests that caused them",
    AREA,
    writes="a vehicle's locks (commanded, then back)",
)
def test_messages_keep_their_order(owner, consumers):
    at_owner = consumers.of(owner)
    car = owner.idle_car()
    owner.keep_state(car)
    flows = []
    for command in ("unlock-central-lock", "lock-central-lock", "unlock-central-lock", "lock-central-lock"):
        response = owner.http.post(f"/vehicles/{car['id']}/commands/{command}")
        expect.status(response, 200)
        flows.append(consumers.flow(response))
    at_owner.wait(lambda: {m.flow_id for m in at_owner.of_flows(flows)} >= set(flows), WAIT_SECONDS)
    for topic in at_owner.queues:
        arrived = [m.flow_id for m in at_owner.of_flows(flows, topic)]
        # At least once: a message may come twice, but never before one that was caused earlier.
        first_seen = list(dict.fromkeys(arrived))
        expect.equal(first_seen, [f for f in flows if f in first_seen], f"the order of the {topic} messages")
    expect.true(bool(at_owner.of_flows(flows)), "the owner's consumer received the commands' messages")
