"""POST /vehicles/{id}/commands/{command}: state changes, capabilities and conflicting states."""

from __future__ import annotations

import pytest

from .steps import idle_car, own_vehicle


@pytest.mark.parametrize(
    "first,then,expected",
    [
        ("unlock-central-lock", "lock-central-lock", {"central_lock": "LOCKED"}),
        ("lock-central-lock", "unlock-central-lock", {"central_lock": "UNLOCKED"}),
        ("disable-driving", "enable-driving", {"driving_enabled": True}),
        ("enable-driving", "disable-driving", {"driving_enabled": False}),
        (
            "lock-and-disable-driving",
            "unlock-and-enable-driving",
            {"central_lock": "UNLOCKED", "driving_enabled": True},
        ),
        ("unlock-and-enable-driving", "lock-and-disable-driving", {"central_lock": "LOCKED", "driving_enabled": False}),
    ],
)
def test_a_command_answers_the_updated_state_which_later_reads_show(owner, fleet_ids, first, then, expected):
    car = idle_car(owner, fleet_ids[0])
    assert owner.post(f"/vehicles/{car['id']}/commands/{first}").status_code == 200
    response = owner.post(f"/vehicles/{car['id']}/commands/{then}")
    assert response.status_code == 200
    state = response.json()
    assert {name: state[name]["value"] for name in expected} == expected
    assert all(state[name]["timestamp"] > car["state"][name]["timestamp"] for name in expected)
    assert owner.get(f"/vehicles/{car['id']}").json()["state"] == state


def test_request_vehicle_state_records_every_property_anew(owner, fleet_ids):
    car = idle_car(owner, fleet_ids[0])
    state = owner.post(f"/vehicles/{car['id']}/commands/request-vehicle-state").json()
    assert {name: entry["value"] for name, entry in state.items()} == {
        name: entry["value"] for name, entry in car["state"].items()
    }
    assert len({entry["timestamp"] for entry in state.values()}) == 1
    assert all(state[name]["timestamp"] > car["state"][name]["timestamp"] for name in state)


def test_a_command_the_vehicle_lacks_is_command_not_supported(owner, fleet_ids):
    moped = own_vehicle(owner, fleet_ids[0], lacking="LOCK_CENTRAL_LOCK")
    response = owner.post(f"/vehicles/{moped['id']}/commands/lock-central-lock")
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/vehicle/command-not-supported"
    assert owner.get(f"/vehicles/{moped['id']}").json()["state"] == moped["state"]


@pytest.mark.parametrize("command", ["lock-central-lock", "disable-driving", "lock-and-disable-driving"])
def test_a_vehicle_in_use_is_not_locked_or_immobilised(owner, fleet_ids, command):
    in_use = own_vehicle(owner, fleet_ids[0], command="LOCK_AND_DISABLE_DRIVING", in_use=True)
    response = owner.post(f"/vehicles/{in_use['id']}/commands/{command}")
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/vehicle/conflicting-state"
    assert owner.get(f"/vehicles/{in_use['id']}").json()["state"] == in_use["state"]


def test_a_vehicle_in_use_may_still_be_unlocked(owner, fleet_ids):
    in_use = own_vehicle(owner, fleet_ids[0], command="UNLOCK_CENTRAL_LOCK", in_use=True)
    assert owner.post(f"/vehicles/{in_use['id']}/commands/unlock-central-lock").status_code == 200


def test_commands_to_another_fleets_vehicle_are_not_found(owner, loner, fleet_ids):
    theirs = idle_car(loner, fleet_ids[3])
    response = owner.post(f"/vehicles/{theirs['id']}/commands/unlock-central-lock")
    assert response.status_code == 404
    assert loner.get(f"/vehicles/{theirs['id']}").json()["state"] == theirs["state"]
