"""Renaming and deleting vehicles: batch PUT and DELETE of the vendor's "Create and Modify Vehicles" page."""

from __future__ import annotations

from .. import expect
from ..rules import rule

AREA = "Vehicles: renaming and deleting"


def rename(fleet, pairs: list[tuple[str, str]]):
    return fleet.http.put("/vehicles", json=[{"vehicleId": vehicle_id, "Name": name} for vehicle_id, name in pairs])


@rule(
    "TRIMBLE-VEH-15",
    "a batch PUT renames vehicles by id and answers them with their new names",
    AREA,
    writes="its vehicles (added, renamed, deleted)",
)
def test_a_batch_renames(fleet):
    vehicles = fleet.add_vehicles(2)
    names = [fleet.new_name("renamed") for _ in vehicles]
    response = rename(fleet, [(v["VehicleId"], name) for v, name in zip(vehicles, names, strict=True)])
    expect.status(response, 200)
    answered = [(v.get("VehicleId"), v.get("Name")) for v in expect.json_of(response).get("data", [])]
    expect.equal(
        answered,
        [(v["VehicleId"], name) for v, name in zip(vehicles, names, strict=True)],
        "the renamed (VehicleId, Name) pairs",
    )
    expect.equal(fleet.listed_vehicle(vehicles[0]["VehicleId"])["name"], names[0], "the listed name")


@rule(
    "TRIMBLE-VEH-16",
    "a batch PUT reports ids that do not exist in error.ids_not_found with code -11 and renames the rest",
    AREA,
    writes="its vehicles (added, renamed, deleted)",
)
def test_unknown_ids_are_reported(fleet):
    vehicle = fleet.add_vehicles(1)[0]
    missing, name = fleet.new_id("missing"), fleet.new_name("renamed")
    response = rename(fleet, [(vehicle["VehicleId"], name), (missing, fleet.new_name())])
    expect.status(response, 200)
    body = expect.json_of(response)
    error = body.get("error") or {}
    expect.equal((error.get("code"), error.get("ids_not_found")), (-11, [missing]), "(error.code, error.ids_not_found)")
    expect.equal([v.get("Name") for v in body.get("data", [])], [name], "the names in data")


@rule(
    "TRIMBLE-VEH-17",
    "a rename to a name another vehicle holds is not applied",
    AREA,
    writes="its vehicles (added, renamed, deleted)",
)
def test_a_rename_keeps_names_unique(fleet):
    first, second = fleet.add_vehicles(2)
    response = rename(fleet, [(second["VehicleId"], first["Name"])])
    expect.status(response, 200)
    expect.equal(expect.json_of(response).get("data"), [], "data (nothing renamed)")
    expect.equal(
        fleet.listed_vehicle(second["VehicleId"])["name"], second["Name"], "the second vehicle's name (unchanged)"
    )


@rule(
    "TRIMBLE-VEH-18",
    "a rename moves the vehicle's ModifiedOn forward",
    AREA,
    writes="its vehicles (added, renamed, deleted)",
)
def test_a_rename_changes_modified_on(fleet):
    vehicle = fleet.add_vehicles(1)[0]
    response = rename(fleet, [(vehicle["VehicleId"], fleet.new_name("renamed"))])
    renamed = expect.json_of(response)["data"][0]
    expect.true(renamed.get("ModifiedOn") != vehicle["ModifiedOn"], f"a ModifiedOn other than {vehicle['ModifiedOn']}")
    expect.true(
        str(renamed.get("ModifiedOn")) > vehicle["ModifiedOn"],
        f"ModifiedOn after {vehicle['ModifiedOn']}, got {renamed.get('ModifiedOn')}",
    )
    expect.equal(
        fleet.listed_vehicle(vehicle["VehicleId"])["modifiedOn"], renamed["ModifiedOn"], "the listed modifiedOn"
    )


@rule(
    "TRIMBLE-VEH-19",
    "a batch PUT of 51 vehicles is refused with 400",
    AREA,
    writes="its vehicles (added, renamed, deleted)",
)
def test_fifty_one_renames_are_refused(fleet):
    vehicle = fleet.add_vehicles(1)[0]
    batch = [(vehicle["VehicleId"], fleet.new_name())] + [(fleet.new_id(), fleet.new_name()) for _ in range(50)]
    expect.status(rename(fleet, batch), 400)
    expect.equal(fleet.listed_vehicle(vehicle["VehicleId"])["name"], vehicle["Name"], "the vehicle's name (unchanged)")


@rule(
    "TRIMBLE-VEH-20",
    'DELETE /vehicles?vehicleId= removes the vehicle and answers "Successfully deleted vehicle with Id: ..."',
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_delete_removes_the_vehicle(fleet):
    vehicle = fleet.add_vehicles(1)[0]
    response = fleet.http.delete("/vehicles", params={"vehicleId": vehicle["VehicleId"]})
    expect.status(response, 200)
    message = str(expect.json_of(response).get("message"))
    expect.true(
        message.startswith("Successfully deleted vehicle with Id: "),
        f'a message "Successfully deleted vehicle with Id: ...", got {message!r}',
    )
    expect.true(fleet.listed_vehicle(vehicle["VehicleId"]) is None, "the vehicle gone from the list")


@rule(
    "TRIMBLE-VEH-21",
    'deleting an unknown vehicle id answers "No vehicle found with Id: <id>" with a 4xx status',
    AREA,
    writes="its vehicles (deleted)",
)
def test_deleting_an_unknown_vehicle(fleet):
    missing = fleet.new_id("missing")
    response = fleet.http.delete("/vehicles", params={"vehicleId": missing})
    expect.true(400 <= response.status_code < 500, f"a 4xx status, got {response.status_code}")
    expect.true(
        f"No vehicle found with Id: {missing}" in response.text, f'the message "No vehicle found with Id: {missing}"'
    )
