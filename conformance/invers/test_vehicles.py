"""Vehicles: the fleet's list with cursor paging, one vehicle, master-data changes (Vehicle Management API)."""

from __future__ import annotations

import pytest

from .. import expect
from ..rules import rule
from .problems import expect_field_named, expect_problem

AREA = "Vehicles"


@rule(
    "INVERS-VEH-01",
    "GET /vehicles answers the fleet's vehicles in items, at most limit of them, and next_page_token when more follow",
    AREA,
)
def test_a_page_of_vehicles(any_fleet):
    everything = any_fleet.vehicles()
    if len(everything) < 2:
        pytest.skip("not checked: the fleet has fewer than two vehicles")
    response = any_fleet.http.get("/vehicles", params={"limit": 1})
    expect.status(response, 200)
    body = expect.json_of(response)
    expect.equal(len(body.get("items", [])), 1, "the number of items with limit=1")
    expect.true(bool(body.get("next_page_token")), "a next_page_token while more vehicles follow")


@rule("INVERS-VEH-02", "following next_page_token from the first page visits every vehicle exactly once", AREA)
def test_the_cursor_visits_every_vehicle_once(any_fleet):
    whole = [v["id"] for v in any_fleet.vehicles()]
    paged, token = [], None
    for _ in range(len(whole) + 2):
        body = expect.json_of(
            any_fleet.http.get("/vehicles", params={"limit": 3, **({"page_token": token} if token else {})})
        )
        paged += [v["id"] for v in body.get("items", [])]
        token = body.get("next_page_token")
        if not token:
            break
    expect.equal(sorted(paged), sorted(whole), "the vehicles seen page by page (3 a page)")
    expect.equal(len(paged), len(set(paged)), "the number of different vehicles among those paged")


@rule(
    "INVERS-VEH-03",
    "GET /vehicles/{id} answers the vehicle with its id, fleet_id, master_data, capabilities and state",
    AREA,
)
def test_one_vehicle(any_fleet):
    vehicle = any_fleet.find()
    response = any_fleet.http.get(f"/vehicles/{vehicle['id']}")
    expect.status(response, 200)
    body = expect.json_of(response)
    expect.equal((body.get("id"), body.get("fleet_id")), (vehicle["id"], any_fleet.fleet_id), "(id, fleet_id)")
    for part in ("master_data", "capabilities", "state"):
        expect.true(isinstance(body.get(part), dict), f"a {part} object")
    expect.true(isinstance(body["capabilities"].get("commands"), list), "capabilities.commands as a list")


@rule(
    "INVERS-VEH-04",
    "a PATCH of master data is applied, answered and kept for later reads",
    AREA,
    writes="master data (changed, then back)",
)
def test_a_master_data_change(any_fleet):
    vehicle = any_fleet.find()
    any_fleet.keep_master_data(vehicle, ("custom_name",))
    name = f"fleetbox check {vehicle['id']}"
    response = any_fleet.http.patch(f"/vehicles/{vehicle['id']}", json={"master_data": {"custom_name": name}})
    expect.status(response, 200)
    expect.equal(expect.json_of(response).get("master_data", {}).get("custom_name"), name, "the answered custom_name")
    later = expect.json_of(any_fleet.http.get(f"/vehicles/{vehicle['id']}"))
    expect.equal(later["master_data"].get("custom_name"), name, "the custom_name a later read shows")


@rule(
    "INVERS-VEH-05",
    "a PATCH with a property master data does not have is refused with 400 /problems/validation-error naming it",
    AREA,
    writes="master data (changed, then back)",
)
def test_an_unknown_property(any_fleet):
    vehicle = any_fleet.find()
    response = any_fleet.http.patch(f"/vehicles/{vehicle['id']}", json={"master_data": {"fleetbox_colour": "red"}})
    expect_field_named(expect_problem(response, 400, "/problems/validation-error"), "fleetbox_colour")


@rule(
    "INVERS-VEH-06",
    "another fleet's vehicle is not found (404), neither to read nor to change",
    AREA,
    writes="master data (changed, then back)",
)
def test_another_fleets_vehicle(owner, outsider):
    theirs = outsider.find()
    expect_problem(owner.http.get(f"/vehicles/{theirs['id']}"), 404, "/problems/resource-not-found")
    expect.status(owner.http.patch(f"/vehicles/{theirs['id']}", json={"master_data": {"custom_name": "not mine"}}), 404)
