"""Events of shared vehicles for both fleets, read through a fleetbox sandbox's control plane and delivered
to webhooks. INVERS delivers events over AMQP; these rules need a fleetbox sandbox and are not checked
against other servers."""

from __future__ import annotations

import json
import time

import pytest

from .. import expect
from ..receiver import WebhookReceiver, reaches_this_machine
from ..rules import rule
from .problems import FLOW_ID

AREA = "Events"
WAIT_SECONDS = 10


def heard(sandbox, fleet_id: str, since: int, type_: str, reason: str | None = None) -> list[dict]:
    found = [e for e in sandbox.events(fleet_id, since) if e.get("type") == type_]
    return [e for e in found if reason is None or reason in e.get("payload", {}).get("reasons", [])]


@rule(
    "INVERS-EVT-01",
    "starting a sharing raises VehicleChanged (SHARING_STARTED) for owner and partner, with the request's flow id",
    AREA,
    writes="a sharing (started, ended)",
)
def test_sharing_started(owner, partner, sandbox):
    since = sandbox.last_event_seq()
    car = owner.find()
    response = owner.start_sharing(car["id"], partner.fleet_id)
    expect.status(response, 200)
    for fleet in (owner, partner):
        events = heard(sandbox, fleet.fleet_id, since, "VehicleChanged", "SHARING_STARTED")
        expect.equal(len(events), 1, f"the number of SHARING_STARTED events of fleet {fleet.fleet_id}")
        expect.equal(events[0].get("requestId"), response.headers.get(FLOW_ID), "the event's flow id (the request's)")


@rule(
    "INVERS-EVT-02",
    "a partner's command on a shared vehicle raises VehicleCommandExecuted and VehicleStateRecorded for both fleets",
    AREA,
    writes="a sharing (started, ended); a vehicle's locks (commanded, then back)",
)
def test_command_events(owner, partner, sandbox):
    car = owner.idle_car()
    owner.keep_state(car)
    owner.share(car["id"], partner.fleet_id)
    since = sandbox.last_event_seq()
    expect.status(partner.http.post(f"/vehicles/{car['id']}/commands/unlock-central-lock"), 200)
    for fleet in (owner, partner):
        for type_ in ("VehicleCommandExecuted", "VehicleStateRecorded"):
            expect.equal(
                len(heard(sandbox, fleet.fleet_id, since, type_)),
                1,
                f"the number of {type_} events of fleet {fleet.fleet_id}",
            )


@rule(
    "INVERS-EVT-03",
    "ending a sharing raises VehicleChanged (SHARING_ENDED) for both fleets",
    AREA,
    writes="a sharing (started, ended by the partner, ended)",
)
def test_sharing_ended(owner, partner, sandbox):
    car = owner.find()
    owner.share(car["id"], partner.fleet_id)
    since = sandbox.last_event_seq()
    expect.status(partner.http.delete(f"/vehicles/{car['id']}/sharing/partner"), 200, 204)
    for fleet in (owner, partner):
        expect.equal(
            len(heard(sandbox, fleet.fleet_id, since, "VehicleChanged", "SHARING_ENDED")),
            1,
            f"SHARING_ENDED events of fleet {fleet.fleet_id}",
        )


@rule(
    "INVERS-EVT-04",
    "a master-data change of a shared vehicle raises VehicleChanged (MASTER_DATA_CHANGED) for the partner too",
    AREA,
    writes="a sharing (started, ended); master data (changed, then back)",
)
def test_master_data_events(owner, partner, sandbox):
    car = owner.find()
    owner.keep_master_data(car, ("custom_name",))
    owner.share(car["id"], partner.fleet_id)
    since = sandbox.last_event_seq()
    expect.status(
        owner.http.patch(
            f"/vehicles/{car['id']}", json={"master_data": {"custom_name": f"fleetbox check {car['id']}"}}
        ),
        200,
    )
    expect.equal(
        len(heard(sandbox, partner.fleet_id, since, "VehicleChanged", "MASTER_DATA_CHANGED")),
        1,
        "MASTER_DATA_CHANGED events of the partner",
    )


@rule(
    "INVERS-EVT-05",
    "a fleet's events are POSTed to the webhook it registers, and the delivery log shows them delivered",
    AREA,
    writes="a sandbox webhook (added, removed); a sharing (started, ended)",
)
def test_webhook_delivery(owner, partner, sandbox, target):
    if not reaches_this_machine(target.base_url):
        pytest.skip("not checked: the sandbox must run on this machine to call a local receiver")
    receiver = WebhookReceiver()
    webhook = sandbox.subscribe(partner.fleet_id, receiver.url)
    try:
        owner.share(owner.find()["id"], partner.fleet_id)
        deadline = time.monotonic() + WAIT_SECONDS
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.05)
        expect.true(bool(receiver.received), f"a POST to the webhook within {WAIT_SECONDS} s")
        body = json.loads(receiver.received[0][1])
        expect.equal(body.get("fleet_id"), partner.fleet_id, "the delivered event's fleet_id")
        expect.equal(body.get("type"), "VehicleChanged", "the delivered event's type")
        while time.monotonic() < deadline and not any(
            d.get("state") == "delivered" for d in sandbox.deliveries(webhook["id"])
        ):
            time.sleep(0.05)
        expect.true(
            any(d.get("state") == "delivered" for d in sandbox.deliveries(webhook["id"])),
            "a delivered entry in the delivery log",
        )
    finally:
        sandbox.unsubscribe(webhook["id"])
        receiver.close()
