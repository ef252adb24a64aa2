"""What a sandbox has on the broker follows its life: created with it, started over by a reset, removed
with it (exchange, queues and the consumers' users), as the management API and a plain client see it."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import httpx
import pika
import pika.exceptions
import pytest

from mockserver.invers.amqp import TOPICS, exchange_name

from ..invers.steps import OWNER, own_vehicle
from .live import read_queue, wait_until_delivered


def management(rabbitmq) -> httpx.Client:
    return httpx.Client(base_url=f"http://127.0.0.1:{rabbitmq.management_port}", auth=("guest", "guest"))


def on_broker(api: httpx.Client, credentials: list[dict], sandbox_id: str) -> dict[str, set[int]]:
    """The management API's answers for the sandbox's exchange, queues and users."""
    queues = [queue for c in credentials for queue in c["event_consumer"]["queues"].values()]
    users = [c["event_consumer"]["username"] for c in credentials]
    return {
        "exchange": {api.get(f"/api/exchanges/%2F/{quote(exchange_name(sandbox_id), safe='')}").status_code},
        "queues": {api.get(f"/api/queues/%2F/{quote(queue, safe='')}").status_code for queue in queues},
        "users": {api.get(f"/api/users/{quote(user, safe='')}").status_code for user in users},
    }


def wait_for_the_publisher(server) -> None:
    assert server.bridge.publisher.wait_until_idle(30)


def test_delete_removes_exchange_queues_and_users(server_with_amqp, rabbitmq):
    created = httpx.post(f"{server_with_amqp.url}/__sandbox/sandboxes", json={"size": 5}).json()
    credentials = created["credentials"]["invers"]
    assert len(credentials) == 4 and all(len(c["event_consumer"]["queues"]) == len(TOPICS) for c in credentials)
    with management(rabbitmq) as api:
        # Queues exist by the time the sandbox is answered, so a consumer may start at once.
        assert on_broker(api, credentials, created["id"]) == {"exchange": {200}, "queues": {200}, "users": {200}}
        assert httpx.delete(f"{server_with_amqp.url}/__sandbox/sandboxes/{created['id']}").status_code == 204
        wait_for_the_publisher(server_with_amqp)
        assert on_broker(api, credentials, created["id"]) == {"exchange": {404}, "queues": {404}, "users": {404}}
    with pytest.raises(pika.exceptions.ProbableAuthenticationError):
        pika.BlockingConnection(pika.URLParameters(credentials[0]["event_consumer"]["url"]))


def test_reset_starts_the_queues_over(amqp_sandbox, server_with_amqp, rabbitmq):
    sandbox = amqp_sandbox
    before = sandbox.data["credentials"]["invers"]
    owner = sandbox.invers(OWNER)
    car = own_vehicle(owner, before[OWNER]["fleet_id"], command="UNLOCK_CENTRAL_LOCK", in_use=False)["id"]
    assert owner.post(f"/vehicles/{car}/commands/unlock-central-lock").status_code == 200
    owner.close()
    wait_until_delivered(sandbox.control, sandbox.id)

    # The same seed: the same fleets, their queues emptied of the old world's events.
    same = sandbox.control.post(f"/sandboxes/{sandbox.id}/reset", json={}).json()["credentials"]["invers"]
    assert same == before
    wait_for_the_publisher(server_with_amqp)
    assert read_queue(before[OWNER]["event_consumer"], "VehicleCommandExecuted") == []

    # Another seed: other fleets, and nothing left of the old ones on the broker.
    after = sandbox.control.post(f"/sandboxes/{sandbox.id}/reset", json={"seed": 8}).json()["credentials"]["invers"]
    assert {c["fleet_id"] for c in after}.isdisjoint({c["fleet_id"] for c in before})
    wait_for_the_publisher(server_with_amqp)
    with management(rabbitmq) as api:
        assert on_broker(api, before, sandbox.id) == {"exchange": {200}, "queues": {404}, "users": {404}}
        assert on_broker(api, after, sandbox.id) == {"exchange": {200}, "queues": {200}, "users": {200}}


def test_without_amqp_nothing_changes(sandbox):
    """`fleetbox serve` without --amqp: no consumers in the credentials, and the status says so."""
    assert all("event_consumer" not in client for client in sandbox.data["credentials"]["invers"])
    assert sandbox.control.get(f"/sandboxes/{sandbox.id}/amqp").json() == {
        "enabled": False,
        "url": None,
        "connected": False,
        "consumerUsers": False,
        "pending": 0,
        "published": 0,
        "dropped": 0,
        "lastError": None,
    }


def test_a_declaration_the_broker_refuses_holds_up_nobody(server_with_amqp, rabbitmq, amqp_sandbox):
    """A queue someone declared otherwise: that sandbox's declaration is refused and shown, the others go on."""
    fleet_id = amqp_sandbox.invers_client(OWNER)["fleet_id"]
    squatted = f"t-squat-{uuid.uuid4().hex[:8]}"
    connection = pika.BlockingConnection(pika.URLParameters(rabbitmq.url))
    try:
        channel = connection.channel()
        channel.queue_declare(f"fleetbox.{squatted}.{fleet_id}.VehicleChanged", arguments={"x-max-length": 1})
        url = f"{server_with_amqp.url}/__sandbox/sandboxes"
        assert httpx.post(url, json={"id": squatted, "seed": 7, "size": 12}).status_code == 201
        try:
            wait_for_the_publisher(server_with_amqp)
            status = httpx.get(f"{url}/{squatted}/amqp").json()
            assert status["connected"] and "406" in status["lastError"], status

            owner = amqp_sandbox.invers(OWNER)
            car = own_vehicle(owner, fleet_id, command="UNLOCK_CENTRAL_LOCK", in_use=False)["id"]
            response = owner.post(f"/vehicles/{car}/commands/unlock-central-lock")
            owner.close()
            wait_until_delivered(amqp_sandbox.control, amqp_sandbox.id)
            consumer = amqp_sandbox.invers_client(OWNER)["event_consumer"]
            arrived = read_queue(consumer, "VehicleCommandExecuted")
            assert [p.headers["Flow-ID"] for p, _ in arrived] == [response.headers["x-invers-flow-id"]]
        finally:
            httpx.delete(f"{url}/{squatted}")
            wait_for_the_publisher(server_with_amqp)
            channel.queue_delete(f"fleetbox.{squatted}.{fleet_id}.VehicleChanged")
    finally:
        connection.close()
