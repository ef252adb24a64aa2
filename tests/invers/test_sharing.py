"""FleetShare: partners, starting, changing and ending a sharing, and its refusals."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from .steps import advance, all_vehicles, idle_car, in_future, share


@pytest.fixture
def car(owner, fleet_ids) -> dict:
    return idle_car(owner, fleet_ids[0])


def test_sharing_partners_are_registered_both_ways(owner, partner, other_partner, loner, fleet_ids):
    def partners_of(client) -> set[str]:
        response = client.get("/sharing-partners")
        assert response.status_code == 200
        return {fleet["fleet_id"] for fleet in response.json()["items"]}

    assert partners_of(owner) == {fleet_ids[1], fleet_ids[2]}
    assert partners_of(partner) == {fleet_ids[0]} and partners_of(other_partner) == {fleet_ids[0]}
    assert partners_of(loner) == set()


def test_starting_a_sharing_answers_the_vehicle_with_its_sharing(sandbox, owner, car, fleet_ids):
    ends_at = in_future(sandbox, 3600)
    vehicle = share(owner, car["id"], fleet_ids[1], ends_at=ends_at)
    names = {c["fleet_id"]: c["name"] for c in sandbox.data["credentials"]["invers"]}
    sharing = vehicle["sharing"]
    assert sharing["owner"] == {"fleet_id": fleet_ids[0], "name": names[fleet_ids[0]]}
    assert sharing["partner"] == {"fleet_id": fleet_ids[1], "name": names[fleet_ids[1]]}
    assert sharing["status"] == "SHARED_OWN_VEHICLE"
    assert sharing["ends_at"][:19] == ends_at[:19] and sharing["ends_at"].endswith("Z")
    assert sharing["starts_at"] < sharing["ends_at"]
    assert vehicle["id"] == car["id"] and vehicle["fleet_id"] == fleet_ids[0]


def test_without_ends_at_the_sharing_is_open_ended(owner, car, fleet_ids):
    assert share(owner, car["id"], fleet_ids[1])["sharing"]["ends_at"] is None
    assert share(owner, idle_car(owner, fleet_ids[0])["id"], fleet_ids[2], ends_at=None)["sharing"]["ends_at"] is None


def test_the_partner_lists_and_reads_the_shared_vehicle_and_the_owner_still_does(owner, partner, car, fleet_ids):
    share(owner, car["id"], fleet_ids[1])
    listed = {v["id"]: v for v in all_vehicles(partner)}
    assert listed[car["id"]]["sharing"]["status"] == "SHARED_PARTNER_VEHICLE"
    assert partner.get(f"/vehicles/{car['id']}").json() == listed[car["id"]]
    assert owner.get(f"/vehicles/{car['id']}").json()["sharing"]["status"] == "SHARED_OWN_VEHICLE"
    assert car["id"] in {v["id"] for v in all_vehicles(owner)}


@pytest.mark.parametrize("target", ["loner", "unknown", "itself", "partners_partner"])
def test_only_registered_partners_can_receive_a_vehicle(sandbox, owner, partner, car, fleet_ids, target):
    sharer, vehicle_id, fleet_id = (
        owner,
        car["id"],
        {"loner": fleet_ids[3], "unknown": "NOSUCHFLEET", "itself": fleet_ids[0]}.get(target),
    )
    if target == "partners_partner":
        # Fleet 1's partner is fleet 0; fleet 2 is a partner of fleet 0 but not of fleet 1.
        sharer, vehicle_id, fleet_id = partner, idle_car(partner, fleet_ids[1])["id"], fleet_ids[2]
    response = sharer.post(f"/vehicles/{vehicle_id}/sharing", json={"fleet_id": fleet_id})
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == "/problems/referenced-resource-not-found"
    assert problem["errors"][0]["field"] == "fleet_id"
    assert sharer.get(f"/vehicles/{vehicle_id}").json()["sharing"] is None


def test_a_shared_vehicle_cannot_be_shared_again(owner, car, fleet_ids):
    share(owner, car["id"], fleet_ids[1])
    for partner_id in (fleet_ids[1], fleet_ids[2]):
        response = owner.post(f"/vehicles/{car['id']}/sharing", json={"fleet_id": partner_id})
        assert response.status_code == 409
        assert response.json()["type"] == "/problems/vehicle/shared-with-partner"
    assert owner.get(f"/vehicles/{car['id']}").json()["sharing"]["partner"]["fleet_id"] == fleet_ids[1]


@pytest.mark.parametrize("seconds", [-3600, 0])
def test_an_end_that_is_not_in_the_future_is_refused(sandbox, owner, car, fleet_ids, seconds):
    # Frozen, so that "now" in the request is still now when the server reads it.
    sandbox.control.put(f"/sandboxes/{sandbox.id}/clock", json={"now": in_future(sandbox, 0), "frozen": True})
    response = owner.post(
        f"/vehicles/{car['id']}/sharing", json={"fleet_id": fleet_ids[1], "ends_at": in_future(sandbox, seconds)}
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == "/problems/validation-error" and problem["errors"][0]["field"] == "ends_at"
    assert owner.get(f"/vehicles/{car['id']}").json()["sharing"] is None


def test_only_the_owner_shares_its_vehicle(owner, partner, loner, car, fleet_ids):
    share(owner, car["id"], fleet_ids[1])
    # The partner sees the vehicle, so it learns why it may not; a stranger does not even see it.
    reshare = partner.post(f"/vehicles/{car['id']}/sharing", json={"fleet_id": fleet_ids[0]})
    assert reshare.status_code == 403 and reshare.json()["type"] == "/problems/missing-permissions"
    stranger = loner.post(f"/vehicles/{car['id']}/sharing", json={"fleet_id": fleet_ids[0]})
    assert stranger.status_code == 404


def test_the_owner_moves_or_removes_the_end(sandbox, owner, partner, car, fleet_ids):
    share(owner, car["id"], fleet_ids[1], ends_at=in_future(sandbox, 600))
    later = in_future(sandbox, 7200)
    moved = owner.patch(f"/vehicles/{car['id']}/sharing", json={"ends_at": later})
    assert moved.status_code == 200 and moved.json()["sharing"]["ends_at"][:19] == later[:19]
    assert partner.get(f"/vehicles/{car['id']}").json()["sharing"]["ends_at"] == moved.json()["sharing"]["ends_at"]
    opened = owner.patch(f"/vehicles/{car['id']}/sharing", json={"ends_at": None})
    assert opened.json()["sharing"]["ends_at"] is None
    past = owner.patch(f"/vehicles/{car['id']}/sharing", json={"ends_at": in_future(sandbox, -60)})
    assert past.status_code == 400 and past.json()["errors"][0]["field"] == "ends_at"


def test_changing_or_ending_a_sharing_that_does_not_exist_is_not_found(owner, car):
    for response in (
        owner.patch(f"/vehicles/{car['id']}/sharing", json={"ends_at": None}),
        owner.delete(f"/vehicles/{car['id']}/sharing"),
        owner.delete(f"/vehicles/{car['id']}/sharing/partner"),
    ):
        assert response.status_code == 404 and response.json()["type"] == "/problems/resource-not-found"


def assert_returned_to_the_owner(owner, partner, car) -> None:
    gone = partner.get(f"/vehicles/{car['id']}")
    assert gone.status_code == 404 and gone.json()["type"] == "/problems/resource-not-found"
    assert car["id"] not in {v["id"] for v in all_vehicles(partner)}
    assert partner.post(f"/vehicles/{car['id']}/commands/unlock-central-lock").status_code == 404
    assert owner.get(f"/vehicles/{car['id']}").json()["sharing"] is None
    assert owner.post(f"/vehicles/{car['id']}/commands/unlock-central-lock").status_code == 200


def test_the_owner_ends_a_sharing_and_gets_the_vehicle_back(owner, partner, car, fleet_ids):
    share(owner, car["id"], fleet_ids[1])
    response = owner.delete(f"/vehicles/{car['id']}/sharing")
    assert response.status_code == 200 and response.json()["sharing"] is None and response.json()["id"] == car["id"]
    assert_returned_to_the_owner(owner, partner, car)


def test_the_partner_gives_the_vehicle_back(owner, partner, car, fleet_ids):
    share(owner, car["id"], fleet_ids[1])
    response = partner.delete(f"/vehicles/{car['id']}/sharing/partner")
    assert response.status_code == 204 and response.content == b""
    assert_returned_to_the_owner(owner, partner, car)


def test_each_side_ends_a_sharing_through_its_own_endpoint(owner, partner, car, fleet_ids):
    share(owner, car["id"], fleet_ids[1])
    as_partner = owner.delete(f"/vehicles/{car['id']}/sharing/partner")
    as_owner = partner.delete(f"/vehicles/{car['id']}/sharing")
    for response in (as_partner, as_owner):
        assert response.status_code == 403 and response.json()["type"] == "/problems/missing-permissions"
    assert partner.get(f"/vehicles/{car['id']}").status_code == 200


def test_a_sharing_ends_when_ends_at_passes_on_the_sandbox_clock(sandbox, owner, partner, car, fleet_ids):
    share(owner, car["id"], fleet_ids[1], ends_at=in_future(sandbox, 120))
    advance(sandbox, 60)
    assert partner.get(f"/vehicles/{car['id']}").status_code == 200
    advance(sandbox, 61)
    assert_returned_to_the_owner(owner, partner, car)
    # Once back, the vehicle can be shared again.
    assert share(owner, car["id"], fleet_ids[2])["sharing"]["partner"]["fleet_id"] == fleet_ids[2]


def test_of_many_simultaneous_sharings_of_one_vehicle_exactly_one_starts(sandbox, car, fleet_ids):
    token = sandbox.invers_token(0)
    url = f"{sandbox.server_url}/invers/vehicles/{car['id']}/sharing"

    def attempt(number: int) -> int:
        partner = fleet_ids[1 + number % 2]
        return httpx.post(
            url, json={"fleet_id": partner}, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = sorted(pool.map(attempt, range(32)))
    assert statuses == [200] + [409] * 31
    events = sandbox.control.get(
        f"/sandboxes/{sandbox.id}/events", params={"audience": fleet_ids[0], "type": "VehicleChanged"}
    ).json()["events"]
    assert len(events) == 1
