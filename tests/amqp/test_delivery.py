"""INVERS events over a real RabbitMQ, read with a plain AMQP client as an integrator's pipeline would:
who receives which event, with which headers, in which order; and what each consumer may not read."""

from __future__ import annotations

import pika
import pika.exceptions
import pytest

from mockserver.invers.amqp import TOPICS

from ..invers.steps import LONER, OTHER_PARTNER, OWNER, PARTNER, own_vehicle
from .live import read_queue, wait_until_delivered

FLOW = "x-invers-flow-id"


def consumer_of(sandbox, fleet: int) -> dict:
    return sandbox.invers_client(fleet)["event_consumer"]


def everything(sandbox, fleet: int) -> dict[str, list]:
    """Every message waiting for a fleet's consumer, by topic."""
    return {topic: read_queue(consumer_of(sandbox, fleet), topic) for topic in TOPICS}


def test_a_sharing_as_each_fleets_consumer_sees_it(amqp_sandbox):
    sandbox = amqp_sandbox
    ids = [client["fleet_id"] for client in sandbox.data["credentials"]["invers"]]
    owner, partner = sandbox.invers(OWNER), sandbox.invers(PARTNER)
    car = own_vehicle(owner, ids[OWNER], command="LOCK_CENTRAL_LOCK", in_use=False)["id"]
    started = owner.post(f"/vehicles/{car}/sharing", json={"fleet_id": ids[PARTNER]})
    command = partner.post(f"/vehicles/{car}/commands/unlock-central-lock")
    ended = owner.delete(f"/vehicles/{car}/sharing")
    after = owner.post(f"/vehicles/{car}/commands/lock-central-lock")
    assert [r.status_code for r in (started, command, ended, after)] == [200, 200, 200, 200]
    status = wait_until_delivered(sandbox.control, sandbox.id)
    assert status["connected"] and status["consumerUsers"] and status["dropped"] == 0

    at_owner, at_partner = everything(sandbox, OWNER), everything(sandbox, PARTNER)

    def flows(messages):
        return [properties.headers["Flow-ID"] for properties, _ in messages]

    def reasons(messages):
        return [body["data"]["reasons"] for _, body in messages]

    assert flows(at_owner["VehicleChanged"]) == [started.headers[FLOW], ended.headers[FLOW]]
    assert reasons(at_owner["VehicleChanged"]) == [["SHARING_STARTED"], ["SHARING_ENDED"]]
    assert flows(at_partner["VehicleChanged"]) == [started.headers[FLOW], ended.headers[FLOW]]
    assert reasons(at_partner["VehicleChanged"]) == [["SHARING_STARTED"], ["SHARING_ENDED"]]
    for topic in ("VehicleCommandExecuted", "VehicleStateRecorded"):
        # The partner hears of its own command, and nothing of the owner's once the sharing is over.
        assert flows(at_owner[topic]) == [command.headers[FLOW], after.headers[FLOW]]
        assert flows(at_partner[topic]) == [command.headers[FLOW]]
    assert [body["data"]["sent_by_fleet_id"] for _, body in at_owner["VehicleCommandExecuted"]] == [
        ids[PARTNER],
        ids[OWNER],
    ]
    for outsider in (OTHER_PARTNER, LONER):
        assert everything(sandbox, outsider) == {topic: [] for topic in TOPICS}

    # The messages are the control plane's events of the fleet, with INVERS' legacy headers.
    events = sandbox.control.get(f"/sandboxes/{sandbox.id}/events", params={"audience": ids[PARTNER]}).json()
    by_id = {event["id"]: event for event in events["events"]}
    for topic, messages in at_partner.items():
        for properties, body in messages:
            event = by_id[properties.message_id]
            assert properties.headers == {
                "Message-Type": topic,
                "Message-Version": "1",
                "Flow-ID": event["requestId"],
            }
            assert (properties.type, properties.content_type, properties.delivery_mode) == (
                topic,
                "application/json",
                2,
            )
            assert properties.correlation_id == event["requestId"]
            assert body["id"] == event["id"] and body["type"] == topic and body["fleet_id"] == ids[PARTNER]
            assert body["data"] == event["payload"]
            assert body["occurred_at"][:19] == event["occurredAt"][:19]
    owner.close()
    partner.close()


def test_a_consumer_reads_its_own_queues_and_changes_nothing(amqp_sandbox, rabbitmq):
    sandbox = amqp_sandbox
    mine, theirs = consumer_of(sandbox, PARTNER), consumer_of(sandbox, OWNER)
    assert mine["username"] != theirs["username"] and mine["password"] != theirs["password"]
    connection = pika.BlockingConnection(pika.URLParameters(mine["url"]))
    try:
        channel = connection.channel()
        for queue in mine["queues"].values():
            assert channel.basic_get(queue)[0] is None  # readable, and empty
        with pytest.raises(pika.exceptions.ChannelClosedByBroker) as refused:
            channel.basic_get(theirs["queues"]["VehicleChanged"])
        assert refused.value.reply_code == 403
        for attempt in (
            lambda channel: channel.queue_declare("fleetbox-intruder"),
            lambda channel: channel.queue_purge(theirs["queues"]["VehicleChanged"]),
            lambda channel: channel.queue_delete(mine["queues"]["VehicleChanged"]),
        ):
            with pytest.raises(pika.exceptions.ChannelClosedByBroker) as refused:
                attempt(connection.channel())
            assert refused.value.reply_code == 403
        publisher = connection.channel()
        publisher.confirm_delivery()
        with pytest.raises(pika.exceptions.ChannelClosedByBroker) as refused:
            publisher.basic_publish(f"fleetbox.{sandbox.id}.events", "x.VehicleChanged", b"{}")
        assert refused.value.reply_code == 403
    finally:
        connection.close()
    wrong = pika.URLParameters(mine["url"].replace(mine["password"], "not-the-password"))
    with pytest.raises(pika.exceptions.ProbableAuthenticationError):
        pika.BlockingConnection(wrong)


def test_sandboxes_on_one_broker_do_not_meet(amqp_sandbox, server_with_amqp):
    import httpx

    other = httpx.post(f"{server_with_amqp.url}/__sandbox/sandboxes", json={"seed": 7, "size": 12}).json()
    try:
        stranger = other["credentials"]["invers"][OWNER]["event_consumer"]
        mine = consumer_of(amqp_sandbox, OWNER)
        # The same seed makes the same fleets: only the sandbox's prefix tells their queues apart.
        assert mine["queues"] != stranger["queues"] and stranger["username"] != mine["username"]
        connection = pika.BlockingConnection(pika.URLParameters(stranger["url"]))
        try:
            with pytest.raises(pika.exceptions.ChannelClosedByBroker):
                connection.channel().basic_get(mine["queues"]["VehicleChanged"])
        finally:
            connection.close()
    finally:
        httpx.delete(f"{server_with_amqp.url}/__sandbox/sandboxes/{other['id']}")
