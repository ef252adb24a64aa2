"""Drivers: the same batch rules as vehicles (the vendor's "Create and Modify Drivers")."""

from __future__ import annotations

from .. import expect
from ..rules import rule

AREA = "Drivers"


@rule(
    "TRIMBLE-DRV-01",
    "a batch POST adds drivers and answers each with Id, Name, DriverId and ModifiedOn",
    AREA,
    writes="its drivers (added, deleted)",
)
def test_drivers_are_added(fleet):
    items = [{"driverId": fleet.new_id("d"), "Name": fleet.new_name("driver")} for _ in range(2)]
    response = fleet.post("/drivers", items)
    expect.status(response, 200)
    data = expect.json_of(response).get("data", [])
    expect.equal(
        [(d.get("DriverId"), d.get("Name")) for d in data],
        [(i["driverId"], i["Name"]) for i in items],
        "the (DriverId, Name) pairs",
    )
    expect.true(
        all({"Id", "Name", "DriverId", "ModifiedOn"} <= set(d) for d in data),
        "Id, Name, DriverId and ModifiedOn on each driver",
    )


@rule(
    "TRIMBLE-DRV-02",
    "a driver id already in use is not added: it is reported in error.duplicate_ids with code -12",
    AREA,
    writes="its drivers (added, deleted)",
)
def test_a_known_driver_is_a_duplicate(fleet):
    driver = fleet.add_drivers(1)[0]
    response = fleet.post("/drivers", [{"driverId": driver["DriverId"], "Name": fleet.new_name("driver")}])
    error = expect.json_of(response).get("error") or {}
    expect.equal(
        (error.get("code"), error.get("duplicate_ids")),
        (-12, [driver["DriverId"]]),
        "(error.code, error.duplicate_ids)",
    )


@rule("TRIMBLE-DRV-03", "a batch POST of 51 drivers is refused with 400", AREA, writes="its drivers (added, deleted)")
def test_fifty_one_drivers_are_refused(fleet):
    items = [{"driverId": fleet.new_id("d"), "Name": fleet.new_name("driver")} for _ in range(51)]
    expect.status(fleet.post("/drivers", items), 400)


@rule(
    "TRIMBLE-DRV-04",
    "a batch PUT renames drivers and reports unknown ids in error.ids_not_found with code -11",
    AREA,
    writes="its drivers (added, renamed, deleted)",
)
def test_drivers_are_renamed(fleet):
    driver, missing, name = fleet.add_drivers(1)[0], fleet.new_id("missing"), fleet.new_name("renamed driver")
    response = fleet.http.put(
        "/drivers",
        json=[{"driverId": driver["DriverId"], "Name": name}, {"driverId": missing, "Name": fleet.new_name()}],
    )
    expect.status(response, 200)
    body = expect.json_of(response)
    expect.equal([d.get("Name") for d in body.get("data", [])], [name], "the renamed drivers' names")
    error = body.get("error") or {}
    expect.equal((error.get("code"), error.get("ids_not_found")), (-11, [missing]), "(error.code, error.ids_not_found)")


@rule(
    "TRIMBLE-DRV-05",
    'DELETE /drivers?driverId= removes a driver; an unknown id answers "No driver found with Id: <id>"',
    AREA,
    writes="its drivers (added, deleted)",
)
def test_drivers_are_deleted(fleet):
    driver = fleet.add_drivers(1)[0]
    expect.status(fleet.http.delete("/drivers", params={"driverId": driver["DriverId"]}), 200)
    again = fleet.http.delete("/drivers", params={"driverId": driver["DriverId"]})
    expect.true(400 <= again.status_code < 500, f"a 4xx status for a deleted driver, got {again.status_code}")
    expect.true(f"No driver found with Id: {driver['DriverId']}" in again.text, "the message No driver found with Id")


@rule(
    "TRIMBLE-DRV-06",
    "GET /drivers pages with offset and limit and sorts by driverId",
    AREA,
    writes="its drivers (added, deleted)",
)
def test_drivers_are_listed_in_order(fleet):
    base = fleet.new_id("dsort")
    ours = [{"driverId": f"{base}{letter}", "Name": f"{base} {letter}"} for letter in "cab"]
    expect.status(fleet.post("/drivers", ours), 200)
    listed = fleet.listed("/drivers", sortExpression="driverId", sortDirection="ASC")
    seen = [d["driverId"] for d in listed if d.get("driverId", "").startswith(base)]
    expect.equal(seen, sorted(d["driverId"] for d in ours), "the order of the new drivers sorted by driverId")
