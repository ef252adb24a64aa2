"""Vehicles: what is added is listed and readable at its Location; plates are unique; `limit` bounds lists."""

from __future__ import annotations

import secrets

from conformance import expect
from conformance.rules import rule

AREA = "Vehicles"


def new_plate() -> str:
    return f"T-{secrets.token_hex(4).upper()}"


@rule("TINYFLEET-VEH-01", "an added vehicle answers 201 with its Location, and is listed", AREA)
def test_an_added_vehicle_is_listed(fleet):
    plate = new_plate()
    added = fleet.post("/vehicles", json={"name": "Rule", "plate": plate})
    expect.status(added, 201)
    location = added.headers.get("location", "")
    expect.true(location.endswith(f"/vehicles/{expect.json_of(added)['id']}"), "a Location naming the new vehicle")
    expect.equal(expect.json_of(fleet.get(location))["plate"], plate, "the plate read back from the Location")
    listed = expect.json_of(fleet.get("/vehicles", params={"limit": 100}))["vehicles"]
    expect.true(any(vehicle["plate"] == plate for vehicle in listed), f"the vehicle {plate} in the list")


@rule("TINYFLEET-VEH-02", "adding a plate the fleet already has gets a 409", AREA)
def test_plates_are_unique(fleet):
    plate = new_plate()
    expect.status(fleet.post("/vehicles", json={"name": "First", "plate": plate}), 201)
    expect.status(fleet.post("/vehicles", json={"name": "Second", "plate": plate}), 409)


@rule("TINYFLEET-VEH-03", "`limit` bounds the number of vehicles listed", AREA)
def test_limit_bounds_the_list(fleet):
    expect.true(len(expect.json_of(fleet.get("/vehicles", params={"limit": 2}))["vehicles"]) <= 2, "at most 2 vehicles")
