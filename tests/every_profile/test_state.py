"""Each profile's world exports and imports exactly through the control plane's state; an inconsistent
world is 422, a malformed one 400, and neither changes anything. (What is particular to one profile's state
is in that profile's test_state.py.)"""

from __future__ import annotations

import copy

import pytest

from ..invers.steps import LONER, OTHER_PARTNER, OWNER, idle_car, in_future, share
from .vendors import HOURFLEET, INVERS, TRIMBLE, each


def export(sandbox) -> dict:
    response = sandbox.control.get(f"/sandboxes/{sandbox.id}/state")
    assert response.status_code == 200
    return response.json()


def put_state(sandbox, state: dict):
    return sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=state)


# --- the round trip: what each profile changes before and after the export, and finds restored ------------


def trimble_before(sandbox) -> dict:
    client = sandbox.trimble("direct")
    client.post("/vehicles", json=[{"vehicleId": "keep", "Name": "kept"}])
    group = client.post("/vehiclegroups", json=[{"vehicleGroupName": "kept group"}]).json()["data"][0]["vehicleGroupId"]
    client.post(f"/vehiclegroups/{group}/vehicles", json=[{"vehicleId": "keep"}])
    sandbox.control.put(f"/sandboxes/{sandbox.id}/clock", json={"now": "2032-01-01T00:00:00Z", "frozen": True})
    return {"group": group}


def trimble_after(sandbox, kept: dict) -> None:
    kept["fresh"] = fresh = sandbox.trimble("direct")
    fresh.post("/vehicles", json=[{"vehicleId": "later", "Name": "after the export"}])
    fresh.delete("/vehicles", params={"vehicleId": "keep"})


def trimble_restored(sandbox, kept: dict) -> None:
    assert kept["fresh"].get("/vehicles").status_code == 401
    vehicles = sandbox.trimble("direct").get("/vehicles", params={"limit": 100}).json()["data"]
    listed = {v["vehicleId"]: v for v in vehicles}
    assert "later" not in listed and listed["keep"]["vehicleGroups"][0]["vehicleGroupId"] == kept["group"]


def invers_before(sandbox) -> dict:
    owner = sandbox.invers(OWNER)
    car = idle_car(owner, sandbox.invers_client(OWNER)["fleet_id"])
    share(owner, car["id"], sandbox.invers_client(OTHER_PARTNER)["fleet_id"], ends_at=in_future(sandbox, 3600))
    owner.patch(f"/vehicles/{car['id']}", json={"master_data": {"custom_name": "kept"}})
    return {"owner": owner, "car": car}


def invers_after(sandbox, kept: dict) -> None:
    kept["owner"].delete(f"/vehicles/{kept['car']['id']}/sharing")


def invers_restored(sandbox, kept: dict) -> None:
    restored = sandbox.invers(OTHER_PARTNER).get(f"/vehicles/{kept['car']['id']}").json()
    assert restored["sharing"]["status"] == "SHARED_PARTNER_VEHICLE"
    assert restored["master_data"]["custom_name"] == "kept"


def hourfleet_before(sandbox) -> dict:
    owner = sandbox.hourfleet("user", 0)
    owner.post("/cars", json={"Make": "Kia", "Model": "Niro", "Year": 2022, "LicensePlate": "KEEP-1"})
    return {"owner": owner}


def hourfleet_after(sandbox, kept: dict) -> None:
    kept["owner"].post("/cars", json={"Make": "Kia", "Model": "Niro", "Year": 2022, "LicensePlate": "LATER-1"})


def hourfleet_restored(sandbox, kept: dict) -> None:
    plates = {c["LicensePlate"] for c in sandbox.hourfleet("ops").get("/cars").json()["Cars"]}
    assert "KEEP-1" in plates and "LATER-1" not in plates


@pytest.mark.parametrize(
    "vendor,before,after,restored_check",
    each(
        (TRIMBLE, trimble_before, trimble_after, trimble_restored),
        (INVERS, invers_before, invers_after, invers_restored),
        (HOURFLEET, hourfleet_before, hourfleet_after, hourfleet_restored),
    ),
)
def test_import_restores_exactly_what_was_exported(sandbox, vendor, before, after, restored_check):
    kept = before(sandbox)
    saved = export(sandbox)
    after(sandbox, kept)
    assert export(sandbox) != saved

    restored = put_state(sandbox, saved)
    assert restored.status_code == 200
    assert restored.json()["credentials"] == sandbox.data["credentials"]
    assert sandbox.control.get(f"/sandboxes/{sandbox.id}").json()["credentials"] == sandbox.data["credentials"]
    assert export(sandbox) == saved
    restored_check(sandbox, kept)


# --- inconsistent worlds: each corruption of a profile's world, and the words of its 422 (None: any) ---------


def trimble_id_used_twice(world: dict) -> None:
    fleet = world["fleets"][0]
    fleet["vehicles"].append(dict(fleet["vehicles"][0], Id=fleet["vehicles"][0]["Id"] + 999_999))


def trimble_dangling_assignment(world: dict) -> None:
    world["fleets"][0]["assignments"].append({"vehicleGroupId": 1, "vehicleId": "ghost"})


def trimble_orphan_customer(world: dict) -> None:
    world["accounts"].append({"AccountId": 1, "AccountName": "orphan", "type": "customer", "partnerAccountId": 2})


def invers_sharing_with_a_non_partner(world: dict) -> None:
    vehicle = world["vehicles"][0]
    loner = world["fleets"][LONER]["fleet_id"]
    vehicle["sharing"] = {"partner_fleet_id": loner, "starts_at": "2025-01-01T00:00:00.000Z", "ends_at": None}


def hourfleet_two_approved_bookings_overlapping(world: dict) -> None:
    second = dict(world["bookings"][0], Id="00000000-0000-4000-8000-000000000001", Reference="ZZZZ0000")
    world["bookings"].append(second)
    world["bookings"][-1].update(State="Approved")
    world["bookings"][0].update(State="Approved")


@pytest.mark.parametrize(
    "vendor,corrupt,words",
    each(
        (TRIMBLE, trimble_id_used_twice, "already used"),
        (TRIMBLE, trimble_dangling_assignment, None),
        (TRIMBLE, trimble_orphan_customer, None),
        (INVERS, lambda w: w["vehicles"].append(copy.deepcopy(w["vehicles"][0])), "appears twice"),
        (INVERS, lambda w: w["vehicles"][0].update(fleet_id="NOSUCH"), "lacks"),
        (
            INVERS,
            lambda w: w["partnerships"].append({"fleet_ids": [w["fleets"][0]["fleet_id"]] * 2}),
            "two different fleets",
        ),
        (INVERS, invers_sharing_with_a_non_partner, "not a partner"),
        (INVERS, lambda w: w["fleets"].append(dict(w["fleets"][0])), "appears twice"),
        (HOURFLEET, lambda w: w["cars"].append(dict(w["cars"][0])), None),
        (HOURFLEET, lambda w: w["cars"][0].update(OwnerId="00000000-0000-4000-8000-000000000000"), None),
        (HOURFLEET, hourfleet_two_approved_bookings_overlapping, None),
        (HOURFLEET, lambda w: w["users"].append(dict(w["users"][0], Id="00000000-0000-4000-8000-000000000002")), None),
    ),
)
def test_an_inconsistent_world_is_422_and_changes_nothing(sandbox, vendor, corrupt, words):
    saved = export(sandbox)
    broken = copy.deepcopy(saved)
    corrupt(broken["profiles"][vendor.name])
    response = put_state(sandbox, broken)
    assert response.status_code == 422
    assert words is None or words in response.json()["detail"]
    assert export(sandbox) == saved


# --- malformed worlds: a value the state schema refuses ------------------------------------------------------


def hourfleet_date_with_an_offset(world: dict) -> None:
    world["cars"][0]["CreatedDateUtc"] = "2026-01-01T00:00:00.000+01:00"


@pytest.mark.parametrize(
    "vendor,corrupt",
    each(
        (TRIMBLE, lambda w: w["fleets"][0]["vehicles"][0].update(Name="bad/name")),
        (INVERS, lambda w: w["vehicles"][0]["capabilities"]["commands"].append("SELF_DESTRUCT")),
        (HOURFLEET, hourfleet_date_with_an_offset),
    ),
)
def test_a_malformed_world_is_400_and_changes_nothing(sandbox, vendor, corrupt):
    saved = export(sandbox)
    broken = copy.deepcopy(saved)
    corrupt(broken["profiles"][vendor.name])
    assert put_state(sandbox, broken).status_code == 400
    assert export(sandbox) == saved
