"""Events of the invers world, per fleet, through the control plane and as webhook deliveries."""

from __future__ import annotations

import json
import time

import pytest

from .steps import advance, events, idle_car, in_future, share


@pytest.fixture
def car(owner, fleet_ids) -> dict:
    return idle_car(owner, fleet_ids[0])


def wait_for(condition, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
    return found


def test_both_fleets_hear_that_a_sharing_started_with_the_requests_flow_id(sandbox, owner, car, fleet_ids):
    response = owner.post(f"/vehicles/{car['id']}/sharing", json={"fleet_id": fleet_ids[1]})
    flow_id = response.headers["x-invers-flow-id"]
    for fleet_id, status in ((fleet_ids[0], "SHARED_OWN_VEHICLE"), (fleet_ids[1], "SHARED_PARTNER_VEHICLE")):
        (event,) = events(sandbox, fleet_id, "VehicleChanged")
        assert event["requestId"] == flow_id and event["profile"] == "invers"
        assert event["payload"]["vehicle_id"] == car["id"] and event["payload"]["reasons"] == ["SHARING_STARTED"]
        assert event["payload"]["sharing"]["status"] == status
    assert events(sandbox, fleet_ids[2]) == []


def test_a_command_on_a_shared_vehicle_is_heard_by_both_fleets(sandbox, owner, partner, car, fleet_ids):
    share(owner, car["id"], fleet_ids[1])
    response = partner.post(f"/vehicles/{car['id']}/commands/unlock-central-lock")
    for fleet_id in fleet_ids[:2]:
        executed = events(sandbox, fleet_id, "VehicleCommandExecuted")
        recorded = events(sandbox, fleet_id, "VehicleStateRecorded")
        assert [e["payload"]["command"] for e in executed] == ["UNLOCK_CENTRAL_LOCK"]
        assert executed[0]["payload"]["sent_by_fleet_id"] == fleet_ids[1]
        assert recorded[0]["payload"]["state"] == response.json() and recorded[0]["payload"]["properties"] == [
            "central_lock"
        ]
        assert {e["requestId"] for e in executed + recorded} == {response.headers["x-invers-flow-id"]}


def test_an_unshared_vehicles_events_go_to_its_owner_only(sandbox, owner, car, fleet_ids):
    owner.post(f"/vehicles/{car['id']}/commands/lock-central-lock")
    owner.patch(f"/vehicles/{car['id']}", json={"master_data": {"custom_name": "renamed"}})
    assert [e["type"] for e in events(sandbox, fleet_ids[0])] == [
        "VehicleCommandExecuted",
        "VehicleStateRecorded",
        "VehicleChanged",
    ]
    assert all(events(sandbox, fleet_id) == [] for fleet_id in fleet_ids[1:])


def test_master_data_changes_of_a_shared_vehicle_reach_the_partner(sandbox, owner, car, fleet_ids):
    share(owner, car["id"], fleet_ids[1])
    owner.patch(f"/vehicles/{car['id']}", json={"master_data": {"license_plate": "M-FB 1"}})
    changed = [
        e for e in events(sandbox, fleet_ids[1], "VehicleChanged") if e["payload"]["reasons"] == ["MASTER_DATA_CHANGED"]
    ]
    assert changed[0]["payload"]["master_data"]["license_plate"] == "M-FB 1"


def test_ending_and_expiring_are_heard_by_both_sides(sandbox, owner, car, fleet_ids):
    share(owner, car["id"], fleet_ids[1])
    owner.delete(f"/vehicles/{car['id']}/sharing")
    ends_at = in_future(sandbox, 30)
    share(owner, car["id"], fleet_ids[1], ends_at=ends_at)
    advance(sandbox, 45)
    owner.get("/sharing-partners")  # any request lets the world notice the time
    for fleet_id in fleet_ids[:2]:
        ended = [e for e in events(sandbox, fleet_id, "VehicleChanged") if e["payload"]["reasons"] == ["SHARING_ENDED"]]
        assert len(ended) == 2
        expired = ended[1]
        # Dated when it ended, not when it was noticed; no request caused it.
        assert expired["occurredAt"][:19] == ends_at[:19] and expired["requestId"] is None
        assert expired["payload"]["sharing"]["ends_at"][:19] == ends_at[:19]


def test_a_fleets_events_are_delivered_to_its_webhook(sandbox, owner, car, fleet_ids, receiver):
    target = receiver()
    hook = sandbox.control.post(
        f"/sandboxes/{sandbox.id}/webhooks",
        json={"audience": fleet_ids[1], "url": target.url, "events": ["VehicleChanged"]},
    ).json()
    response = owner.post(f"/vehicles/{car['id']}/sharing", json={"fleet_id": fleet_ids[1]})
    owner.patch(f"/vehicles/{car['id']}", json={"master_data": {"custom_name": "shared one"}})
    wait_for(lambda: len(target.received) == 2)
    headers, body = target.received[0]
    delivered = json.loads(body)
    assert headers["Message-Type"] == "VehicleChanged" and headers["Flow-ID"] == response.headers["x-invers-flow-id"]
    assert delivered["fleet_id"] == fleet_ids[1] and delivered["type"] == "VehicleChanged"
    assert (
        delivered["data"]["reasons"] == ["SHARING_STARTED"]
        and delivered["data"]["sharing"]["status"] == "SHARED_PARTNER_VEHICLE"
    )
    log = wait_for(
        lambda: [
            d
            for d in sandbox.control.get(
                f"/sandboxes/{sandbox.id}/deliveries", params={"subscription": hook["id"]}
            ).json()["deliveries"]
            if d["state"] == "delivered"
        ]
    )
    assert headers["Delivery-ID"] in {d["id"] for d in log}


def test_a_failed_delivery_is_retried(sandbox, owner, car, fleet_ids, receiver):
    target = receiver(failures=1)
    sandbox.control.post(
        f"/sandboxes/{sandbox.id}/webhooks",
        json={"audience": fleet_ids[0], "url": target.url, "events": ["VehicleCommandExecuted"]},
    )
    owner.post(f"/vehicles/{car['id']}/commands/request-vehicle-state")
    deliveries = wait_for(
        lambda: [
            d
            for d in sandbox.control.get(f"/sandboxes/{sandbox.id}/deliveries").json()["deliveries"]
            if d["state"] == "delivered"
        ]
    )
    assert [a["status"] for a in deliveries[0]["attempts"]] == [500, 204]
