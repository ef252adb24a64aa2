"""Adding vehicles: the batch POST rules of the vendor's "Create and Modify Vehicles" page."""

from __future__ import annotations

import re

from .. import expect
from ..rules import rule

AREA = "Vehicles: adding"
NO_ZONE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?$")
ALLOWED_PUNCTUATION = "-_=+*#! .,()`~?"


def data_of(response) -> list[dict]:
    return expect.json_of(response).get("data") or []


def duplicates_of(response) -> list[str]:
    return (expect.json_of(response).get("error") or {}).get("duplicate_ids") or []


@rule(
    "TRIMBLE-VEH-01",
    "a batch POST adds every new vehicle and answers each with Id, Name, VehicleId and ModifiedOn",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_a_batch_adds_vehicles(fleet):
    sent = [fleet.new_vehicle() for _ in range(3)]
    response = fleet.post("/vehicles", sent)
    expect.status(response, 200)
    body = expect.json_of(response)
    expect.true("error" not in body or not body["error"], "no `error` when every vehicle is new")
    answered = [(v.get("VehicleId"), v.get("Name")) for v in body.get("data", [])]
    expect.equal(answered, [(v["vehicleId"], v["Name"]) for v in sent], "the (VehicleId, Name) pairs answered")
    for vehicle in body["data"]:
        expect.true(
            {"Id", "Name", "VehicleId", "ModifiedOn"} <= set(vehicle),
            "Id, Name, VehicleId and ModifiedOn on each vehicle",
        )
        expect.true(isinstance(vehicle["Id"], int), "an integer system Id")


@rule(
    "TRIMBLE-VEH-02",
    "an added vehicle is in the vehicle list, under the id the POST answered",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_an_added_vehicle_is_listed(fleet):
    added = fleet.add_vehicles(1)[0]
    listed = fleet.listed_vehicle(added["VehicleId"])
    expect.true(listed is not None, f"vehicle {added['VehicleId']} in GET /vehicles")
    expect.equal((listed.get("id"), listed.get("name")), (added["Id"], added["Name"]), "the listed (id, name)")


@rule(
    "TRIMBLE-VEH-03",
    "a vehicle whose id and name already exist is not added: its id is reported in error.duplicate_ids with code -12",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_the_same_vehicle_again_is_a_duplicate(fleet):
    vehicle = fleet.add_vehicles(1)[0]
    response = fleet.post("/vehicles", [{"vehicleId": vehicle["VehicleId"], "Name": vehicle["Name"]}])
    expect.status(response, 200)
    error = expect.json_of(response).get("error") or {}
    expect.equal(error.get("code"), -12, "error.code")
    expect.equal(error.get("duplicate_ids"), [vehicle["VehicleId"]], "error.duplicate_ids")
    expect.true(
        isinstance(error.get("message"), str) and "duplicate" in error["message"], "an error.message about duplicates"
    )
    expect.equal(data_of(response), [], "data (nothing added)")


@rule(
    "TRIMBLE-VEH-04",
    "a vehicle whose id exists under another name is not added and is reported as a duplicate",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_a_known_id_with_another_name_is_a_duplicate(fleet):
    vehicle = fleet.add_vehicles(1)[0]
    response = fleet.post("/vehicles", [{"vehicleId": vehicle["VehicleId"], "Name": fleet.new_name()}])
    expect.equal(duplicates_of(response), [vehicle["VehicleId"]], "error.duplicate_ids")
    expect.equal(fleet.listed_vehicle(vehicle["VehicleId"])["name"], vehicle["Name"], "the vehicle's name (unchanged)")


@rule(
    "TRIMBLE-VEH-05",
    "a new id with a name another vehicle already has is not added (names are unique)",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_a_taken_name_is_a_duplicate(fleet):
    vehicle = fleet.add_vehicles(1)[0]
    newcomer = fleet.new_id()
    response = fleet.post("/vehicles", [{"vehicleId": newcomer, "Name": vehicle["Name"]}])
    expect.equal(data_of(response), [], "data (nothing added)")
    expect.true(fleet.listed_vehicle(newcomer) is None, f"no vehicle {newcomer} in the list")


@rule(
    "TRIMBLE-VEH-06",
    "a partial success adds the new vehicles and reports the duplicates in the same answer",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_a_partial_success(fleet):
    known = fleet.add_vehicles(1)[0]
    fresh = fleet.new_vehicle()
    response = fleet.post("/vehicles", [{"vehicleId": known["VehicleId"], "Name": known["Name"]}, fresh])
    expect.status(response, 200)
    expect.equal(duplicates_of(response), [known["VehicleId"]], "error.duplicate_ids")
    expect.equal([v.get("VehicleId") for v in data_of(response)], [fresh["vehicleId"]], "the VehicleIds in data")
    expect.true(fleet.listed_vehicle(fresh["vehicleId"]) is not None, "the new vehicle in the list")


@rule(
    "TRIMBLE-VEH-07",
    "a batch POST of 51 vehicles is refused with 400 and adds none of them",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_fifty_one_vehicles_are_refused(fleet):
    batch = [fleet.new_vehicle() for _ in range(51)]
    expect.status(fleet.post("/vehicles", batch), 400)
    expect.true(fleet.listed_vehicle(batch[0]["vehicleId"]) is None, "none of the 51 vehicles in the list")


@rule("TRIMBLE-VEH-08", "a batch POST of 50 vehicles is accepted", AREA, writes="its vehicles (added, deleted)")
def test_fifty_vehicles_are_accepted(fleet):
    response = fleet.post("/vehicles", [fleet.new_vehicle() for _ in range(50)])
    expect.status(response, 200)
    expect.equal(len(data_of(response)), 50, "the number of vehicles added")


@rule("TRIMBLE-VEH-09", "an empty batch is refused with 400", AREA, writes="its vehicles (added)")
def test_an_empty_batch_is_refused(fleet):
    expect.status(fleet.post("/vehicles", []), 400)


@rule(
    "TRIMBLE-VEH-10",
    "an id or a name with a character outside A-Za-z0-9-_=+*#! .,()`~? is refused with 400",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_other_characters_are_refused(fleet):
    for character in ("/", ";", "é"):
        vehicle = fleet.new_vehicle()
        expect.status(
            fleet.post("/vehicles", [{"vehicleId": vehicle["vehicleId"] + character, "Name": vehicle["Name"]}]), 400
        )
        expect.status(
            fleet.post("/vehicles", [{"vehicleId": vehicle["vehicleId"], "Name": vehicle["Name"] + character}]), 400
        )


@rule(
    "TRIMBLE-VEH-11",
    "ids and names may use every documented punctuation character",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_documented_punctuation_is_accepted(fleet):
    vehicle_id, name = f"{fleet.new_id()}{ALLOWED_PUNCTUATION}", f"{fleet.new_name()} {ALLOWED_PUNCTUATION}"
    response = fleet.post("/vehicles", [{"vehicleId": vehicle_id, "Name": name}])
    expect.status(response, 200)
    expect.equal(
        [(v.get("VehicleId"), v.get("Name")) for v in data_of(response)], [(vehicle_id, name)], "the vehicle added"
    )


@rule(
    "TRIMBLE-VEH-12",
    "a vehicle without a name, or without an id, is refused with 400",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_id_and_name_are_required(fleet):
    expect.status(fleet.post("/vehicles", [{"vehicleId": fleet.new_id()}]), 400)
    expect.status(fleet.post("/vehicles", [{"Name": fleet.new_name()}]), 400)


@rule(
    "TRIMBLE-VEH-13",
    "input keys are read in the casings of the vendor's samples: vehicleId, VehicleID and Name",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_keys_in_the_samples_casings(fleet):
    first, second = fleet.new_vehicle(), fleet.new_vehicle()
    response = fleet.post("/vehicles", [first, {"VehicleID": second["vehicleId"], "Name": second["Name"]}])
    expect.status(response, 200)
    expect.equal(
        [v.get("VehicleId") for v in data_of(response)],
        [first["vehicleId"], second["vehicleId"]],
        "the VehicleIds added",
    )


@rule(
    "TRIMBLE-VEH-14",
    "ModifiedOn is written without a zone designator, as in the vendor's samples",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_modified_on_has_no_zone(fleet):
    added = fleet.add_vehicles(1)[0]
    expect.true(
        bool(NO_ZONE.match(str(added.get("ModifiedOn")))),
        f"ModifiedOn like 2019-03-28T21:02:19.03, got {added.get('ModifiedOn')!r}",
    )
    listed = fleet.listed_vehicle(added["VehicleId"])
    expect.true(
        bool(NO_ZONE.match(str(listed.get("modifiedOn")))),
        f"the listed modifiedOn without a zone, got {listed.get('modifiedOn')!r}",
    )
