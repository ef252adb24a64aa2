"""While a vehicle is shared: the owner may not command it; the partner may read and command it, nothing else."""

from __future__ import annotations

import pytest

from .steps import idle_car, share


@pytest.fixture
def shared(owner, fleet_ids) -> dict:
    car = idle_car(owner, fleet_ids[0])
    share(owner, car["id"], fleet_ids[1])
    return car


@pytest.mark.parametrize("command", ["unlock-central-lock", "request-vehicle-state", "lock-central-lock"])
def test_the_owners_commands_are_refused_as_shared_with_partner(owner, shared, command):
    response = owner.post(f"/vehicles/{shared['id']}/commands/{command}")
    assert response.status_code == 409
    problem = response.json()
    assert problem["type"] == "/problems/vehicle/shared-with-partner"
    assert problem["title"] == "The vehicle is currently shared with a partner."
    assert shared["id"] in problem["detail"]
    assert owner.get(f"/vehicles/{shared['id']}").json()["state"] == shared["state"]


def test_the_partner_commands_the_vehicle_and_the_owner_sees_the_result(owner, partner, shared):
    response = partner.post(f"/vehicles/{shared['id']}/commands/unlock-and-enable-driving")
    assert response.status_code == 200
    assert response.json()["central_lock"]["value"] == "UNLOCKED"
    assert owner.get(f"/vehicles/{shared['id']}").json()["state"] == response.json()


def test_the_partners_commands_still_respect_capabilities_and_state(owner, partner, fleet_ids):
    in_use = next(
        v
        for v in owner.get("/vehicles", params={"limit": 100}).json()["items"]
        if v["state"].get("ignition", {}).get("value") == "ON"
        and "LOCK_CENTRAL_LOCK" in v["capabilities"]["commands"]
        and v["sharing"] is None
    )
    share(owner, in_use["id"], fleet_ids[1])
    response = partner.post(f"/vehicles/{in_use['id']}/commands/lock-central-lock")
    assert response.status_code == 409 and response.json()["type"] == "/problems/vehicle/conflicting-state"
    lacking = partner.post(f"/vehicles/{in_use['id']}/commands/unlock-top-case")
    assert lacking.status_code == 409 and lacking.json()["type"] == "/problems/vehicle/command-not-supported"


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("PATCH", "", {"master_data": {"custom_name": "mine now"}}),
        ("PATCH", "/sharing", {"ends_at": None}),
        ("POST", "/sharing", {"fleet_id": "ANY"}),
        ("DELETE", "/sharing", None),
    ],
)
def test_every_other_change_is_refused_to_the_partner(owner, partner, shared, method, path, body):
    before = owner.get(f"/vehicles/{shared['id']}").json()
    response = partner.request(
        method, f"/vehicles/{shared['id']}{path}", **({"json": body} if body is not None else {})
    )
    assert response.status_code == 403
    assert response.json()["type"] == "/problems/missing-permissions"
    assert owner.get(f"/vehicles/{shared['id']}").json() == before


def test_a_fleet_that_is_neither_owner_nor_partner_sees_nothing(other_partner, shared):
    assert other_partner.get(f"/vehicles/{shared['id']}").status_code == 404
    assert other_partner.post(f"/vehicles/{shared['id']}/commands/unlock-central-lock").status_code == 404
    assert other_partner.delete(f"/vehicles/{shared['id']}/sharing/partner").status_code == 404
