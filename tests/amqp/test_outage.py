"""A broker that goes away: vendor calls never wait for it, events wait in a bounded buffer (the control
plane shows how many), and a broker that comes back receives every one of them, in order."""

from __future__ import annotations

import time

import httpx

from ..invers.steps import OWNER, own_vehicle
from ..support import SandboxHandle, free_port
from .live import amqp_server, read_queue, stop, wait_until_delivered

COMMANDS = ("unlock-central-lock", "lock-central-lock") * 3
# A vendor call must not wait for the broker: far below the seconds a connection attempt may take.
QUICK_SECONDS = 1.0


def timed(call):
    began = time.monotonic()
    response = call()
    return response, time.monotonic() - began


def test_a_broker_stopped_and_started_mid_run_loses_nothing(amqp_sandbox, rabbitmq):
    sandbox = amqp_sandbox
    owner = sandbox.invers(OWNER)
    fleet_id = sandbox.invers_client(OWNER)["fleet_id"]
    car = own_vehicle(owner, fleet_id, command="LOCK_CENTRAL_LOCK", in_use=False)["id"]
    flows = [owner.post(f"/vehicles/{car}/commands/{COMMANDS[0]}").headers["x-invers-flow-id"]]
    wait_until_delivered(sandbox.control, sandbox.id)

    rabbitmq.stop()
    try:
        for command in COMMANDS[1:]:
            response, seconds = timed(lambda command=command: owner.post(f"/vehicles/{car}/commands/{command}"))
            assert response.status_code == 200 and seconds < QUICK_SECONDS, (response.status_code, seconds)
            flows.append(response.headers["x-invers-flow-id"])
        status = sandbox.control.get(f"/sandboxes/{sandbox.id}/amqp").json()
        # Each command raises two events for the owner (the command, the state it recorded).
        assert status["connected"] is False and status["pending"] == 2 * (len(COMMANDS) - 1), status
        assert status["lastError"]
    finally:
        rabbitmq.start()
    status = wait_until_delivered(sandbox.control, sandbox.id, timeout=60)
    assert status["connected"] and status["dropped"] == 0
    owner.close()

    consumer = sandbox.invers_client(OWNER)["event_consumer"]
    for topic in ("VehicleCommandExecuted", "VehicleStateRecorded"):
        arrived = [properties.headers["Flow-ID"] for properties, _ in read_queue(consumer, topic)]
        # At least once: a message the broker took but never confirmed may come twice, never out of order.
        assert list(dict.fromkeys(arrived)) == flows, topic


def test_a_broker_that_never_answers_costs_a_bounded_buffer_and_no_time():
    live = amqp_server(f"amqp://guest:guest@127.0.0.1:{free_port()}/%2F", buffer=3)
    try:
        created = httpx.post(f"{live.url}/__sandbox/sandboxes", json={"seed": 7, "size": 12})
        assert created.status_code == 201
        sandbox = SandboxHandle(live.url, created.json())
        owner = sandbox.invers(OWNER)
        car = own_vehicle(owner, sandbox.invers_client(OWNER)["fleet_id"], command="LOCK_CENTRAL_LOCK", in_use=False)
        for command in COMMANDS:
            response, seconds = timed(lambda command=command: owner.post(f"/vehicles/{car['id']}/commands/{command}"))
            assert response.status_code == 200 and seconds < QUICK_SECONDS, (response.status_code, seconds)
        owner.close()
        status = sandbox.control.get(f"/sandboxes/{sandbox.id}/amqp").json()
        assert status["connected"] is False and status["lastError"]
        assert (status["pending"], status["dropped"], status["published"]) == (3, 2 * len(COMMANDS) - 3, 0)
        # The rest of the sandbox is unaffected: its events are in the control plane all the same.
        events = sandbox.control.get(f"/sandboxes/{sandbox.id}/events").json()["events"]
        assert len(events) == 2 * len(COMMANDS)
    finally:
        stop(live)
