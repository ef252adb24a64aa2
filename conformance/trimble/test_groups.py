"""Vehicle groups: the vendor's "Create and Modify Vehicle Groups", and vehicle membership."""

from __future__ import annotations

from .. import expect
from ..rules import rule

AREA = "Vehicle groups"
ALL_ADDED = "Successfully added all vehicle groups to the account."
DUPLICATES_SKIPPED = "The request finished without adding duplicate vehicle groups."
LIMIT = 2000


def listed_group(fleet, group_id: int) -> dict | None:
    return next((g for g in fleet.listed("/vehiclegroups") if g.get("vehicleGroupId") == group_id), None)


def groups_of(fleet, vehicle_id: str) -> list[int]:
    vehicle = fleet.listed_vehicle(vehicle_id)
    expect.true(vehicle is not None, f"vehicle {vehicle_id} in the list")
    return [g.get("vehicleGroupId") for g in vehicle.get("vehicleGroups") or []]


@rule(
    "TRIMBLE-GRP-01",
    f'a batch POST adds vehicle groups, answering "{ALL_ADDED}" and each group\'s vehicleGroupId, vehicleGroupName and '
    "modifiedOn",
    AREA,
    writes="its groups (added, deleted)",
)
def test_groups_are_added(fleet):
    names = [fleet.new_name("group") for _ in range(2)]
    response = fleet.add_groups(names)
    expect.status(response, 200)
    body = expect.json_of(response)
    expect.equal(body.get("message"), ALL_ADDED, "the message")
    expect.equal([g.get("vehicleGroupName") for g in body.get("data", [])], names, "the names of the groups added")
    expect.true(
        all({"vehicleGroupId", "vehicleGroupName", "modifiedOn"} <= set(g) for g in body["data"]),
        "vehicleGroupId, vehicleGroupName and modifiedOn on each group",
    )


@rule(
    "TRIMBLE-GRP-02",
    f'a group name the account already has is skipped with "{DUPLICATES_SKIPPED}"',
    AREA,
    writes="its groups (added, deleted)",
)
def test_duplicate_group_names_are_skipped(fleet):
    existing = fleet.add_group()
    fresh = fleet.new_name("group")
    response = fleet.add_groups([existing["vehicleGroupName"], fresh])
    expect.status(response, 200)
    body = expect.json_of(response)
    expect.equal(body.get("message"), DUPLICATES_SKIPPED, "the message")
    expect.equal([g.get("vehicleGroupName") for g in body.get("data", [])], [fresh], "the names of the groups added")


@rule(
    "TRIMBLE-GRP-03",
    "a batch POST of 51 vehicle groups is refused with 400",
    AREA,
    writes="its groups (added)",
)
def test_fifty_one_groups_are_refused(fleet):
    expect.status(fleet.add_groups([fleet.new_name("group") for _ in range(51)]), 400)


@rule(
    "TRIMBLE-GRP-04",
    "PUT /vehiclegroups/{id} renames a group and answers data true",
    AREA,
    writes="its groups (added, renamed, deleted)",
)
def test_a_group_is_renamed(fleet):
    group = fleet.add_group()
    name = fleet.new_name("renamed group")
    response = fleet.http.put(f"/vehiclegroups/{group['vehicleGroupId']}", json={"vehicleGroupName": name})
    expect.status(response, 200)
    expect.equal(expect.json_of(response).get("data"), True, "data")
    expect.equal((listed_group(fleet, group["vehicleGroupId"]) or {}).get("vehicleGroupName"), name, "the listed name")


@rule(
    "TRIMBLE-GRP-05",
    "GET /vehiclegroups lists the account's groups",
    AREA,
    writes="its groups (added, deleted)",
)
def test_groups_are_listed(fleet):
    group = fleet.add_group()
    expect.true(
        listed_group(fleet, group["vehicleGroupId"]) is not None,
        f"group {group['vehicleGroupId']} in GET /vehiclegroups",
    )


@rule(
    "TRIMBLE-GRP-06",
    "DELETE /vehiclegroups/{id} removes the group and its vehicles stay in the fleet",
    AREA,
    writes="its groups (added, deleted); its vehicles (added, deleted); group members (assigned)",
)
def test_a_group_is_deleted(fleet):
    group, vehicle = fleet.add_group(), fleet.add_vehicles(1)[0]
    fleet.http.post(f"/vehiclegroups/{group['vehicleGroupId']}/vehicles", json=[{"vehicleId": vehicle["VehicleId"]}])
    expect.status(fleet.http.delete(f"/vehiclegroups/{group['vehicleGroupId']}"), 200)
    expect.true(listed_group(fleet, group["vehicleGroupId"]) is None, "the group gone from the list")
    expect.equal(groups_of(fleet, vehicle["VehicleId"]), [], "the vehicle's vehicleGroups (still listed, in no group)")


@rule(
    "TRIMBLE-GRP-07",
    "vehicles assigned to a group (POST /vehiclegroups/{id}/vehicles) list it in vehicleGroups",
    AREA,
    writes="its groups (added, deleted); its vehicles (added, deleted); group members (assigned)",
)
def test_assigned_vehicles_list_their_group(fleet):
    group, (first, second) = fleet.add_group(), fleet.add_vehicles(2)
    response = fleet.http.post(
        f"/vehiclegroups/{group['vehicleGroupId']}/vehicles",
        json=[{"vehicleId": first["VehicleId"]}, {"vehicleId": second["VehicleId"]}],
    )
    expect.status(response, 200)
    for vehicle in (first, second):
        expect.true(
            group["vehicleGroupId"] in groups_of(fleet, vehicle["VehicleId"]),
            f"group {group['vehicleGroupId']} in {vehicle['VehicleId']}'s vehicleGroups",
        )


@rule(
    "TRIMBLE-GRP-08",
    "a vehicle taken out of a group no longer lists it",
    AREA,
    writes="its groups (added, deleted); its vehicles (added, deleted); group members (assigned, taken out)",
)
def test_unassigned_vehicles_drop_the_group(fleet):
    group, vehicle = fleet.add_group(), fleet.add_vehicles(1)[0]
    fleet.http.post(f"/vehiclegroups/{group['vehicleGroupId']}/vehicles", json=[{"vehicleId": vehicle["VehicleId"]}])
    response = fleet.http.delete(
        f"/vehiclegroups/{group['vehicleGroupId']}/vehicles", params={"vehicleId": vehicle["VehicleId"]}
    )
    expect.status(response, 200)
    expect.true(
        group["vehicleGroupId"] not in groups_of(fleet, vehicle["VehicleId"]),
        "the group gone from the vehicle's vehicleGroups",
    )


@rule(
    "TRIMBLE-GRP-09",
    "assigning vehicle ids the account lacks reports them in error.ids_not_found with code -11",
    AREA,
    writes="its groups (added, deleted); its vehicles (added, deleted); group members (assigned)",
)
def test_assigning_unknown_vehicles(fleet):
    group, vehicle = fleet.add_group(), fleet.add_vehicles(1)[0]
    missing = fleet.new_id("missing")
    response = fleet.http.post(
        f"/vehiclegroups/{group['vehicleGroupId']}/vehicles",
        json=[{"vehicleId": vehicle["VehicleId"]}, {"vehicleId": missing}],
    )
    expect.status(response, 200)
    error = expect.json_of(response).get("error") or {}
    expect.equal((error.get("code"), error.get("ids_not_found")), (-11, [missing]), "(error.code, error.ids_not_found)")


@rule(
    "TRIMBLE-GRP-10",
    f"an account holds at most {LIMIT:,} vehicle groups: a batch that would pass the limit is refused with 400",
    AREA,
    writes="its groups (added, deleted)",
)
def test_the_group_limit(fleet):
    held = expect.json_of(fleet.http.get("/vehiclegroups", params={"limit": 1}))["size"]
    room = LIMIT - held
    while room > 0:
        batch = min(50, room)
        expect.status(fleet.add_groups([fleet.new_name("filler") for _ in range(batch)]), 200)
        room -= batch
    response = fleet.add_groups([fleet.new_name("one too many")])
    expect.status(response, 400)
