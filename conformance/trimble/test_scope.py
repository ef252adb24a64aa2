"""Partner clouds: ids and names unique across a partner's accounts, lists kept per account."""

from __future__ import annotations

from .. import expect
from ..rules import rule

AREA = "Partner cloud"
FOR_THE_PARTNER = "The request finished without adding duplicate vehicleIds for the Partner"


@rule(
    "TRIMBLE-SCOPE-01",
    f'a vehicle id in use in one account of a partner cloud is a duplicate in another ("{FOR_THE_PARTNER}")',
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_ids_are_unique_across_the_cloud(partner, customer):
    vehicle = partner.add_vehicles(1)[0]
    response = customer.post("/vehicles", [{"vehicleId": vehicle["VehicleId"], "Name": customer.new_name()}])
    expect.status(response, 200)
    error = expect.json_of(response).get("error") or {}
    expect.equal(
        (error.get("code"), error.get("duplicate_ids")),
        (-12, [vehicle["VehicleId"]]),
        "(error.code, error.duplicate_ids)",
    )
    expect.equal(error.get("message"), FOR_THE_PARTNER, "error.message")


@rule(
    "TRIMBLE-SCOPE-02",
    "a vehicle name in use in the partner cloud is a duplicate in its other accounts",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_names_are_unique_across_the_cloud(partner, customer):
    vehicle = partner.add_vehicles(1)[0]
    # An id of its own: serials are per account, so a plain new_id() would repeat the partner's id.
    response = customer.post("/vehicles", [{"vehicleId": customer.new_id("by-name"), "Name": vehicle["Name"]}])
    expect.equal(expect.json_of(response).get("data"), [], "data (nothing added)")


@rule(
    "TRIMBLE-SCOPE-03",
    "the accounts of a partner cloud keep separate vehicle lists",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_lists_stay_per_account(partner, customer):
    vehicle = partner.add_vehicles(1)[0]
    expect.true(
        customer.listed_vehicle(vehicle["VehicleId"]) is None, "the partner's vehicle absent from the customer's list"
    )
    expect.true(
        partner.listed_vehicle(vehicle["VehicleId"]) is not None, "the partner's vehicle in the partner's own list"
    )


@rule(
    "TRIMBLE-SCOPE-04",
    "an account cannot rename or delete a vehicle of another account of its cloud",
    AREA,
    writes="its vehicles (added, renamed, deleted)",
)
def test_other_accounts_vehicles_are_out_of_reach(partner, customer):
    vehicle = partner.add_vehicles(1)[0]
    renamed = customer.http.put("/vehicles", json=[{"vehicleId": vehicle["VehicleId"], "Name": customer.new_name()}])
    expect.equal(
        (expect.json_of(renamed).get("error") or {}).get("ids_not_found"),
        [vehicle["VehicleId"]],
        "error.ids_not_found of the rename",
    )
    deleted = customer.http.delete("/vehicles", params={"vehicleId": vehicle["VehicleId"]})
    expect.true(400 <= deleted.status_code < 500, f"a 4xx status for deleting it, got {deleted.status_code}")
    expect.equal(
        partner.listed_vehicle(vehicle["VehicleId"])["name"],
        vehicle["Name"],
        "the vehicle, unchanged in its own account",
    )


@rule(
    "TRIMBLE-SCOPE-05",
    "a direct account is its own scope: an id used in a partner cloud can be used there too",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_a_direct_account_is_its_own_scope(partner, direct):
    vehicle = partner.add_vehicles(1)[0]
    response = direct.post("/vehicles", [{"vehicleId": vehicle["VehicleId"], "Name": vehicle["Name"]}])
    expect.status(response, 200)
    expect.equal(
        [v.get("VehicleId") for v in expect.json_of(response).get("data", [])],
        [vehicle["VehicleId"]],
        "the vehicle added",
    )
