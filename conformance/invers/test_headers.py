"""Problem documents, flow ids and timestamps: INVERS' "API basics" and its problem pages."""

from __future__ import annotations

import re

from .. import expect
from ..rules import rule
from . import GRANT, TOKEN_PATH
from .problems import expect_field_named, expect_flow_id, expect_problem

AREA = "Problems and headers"
RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


@rule(
    "INVERS-HDR-01",
    "every response carries an X-INVERS-Flow-ID header: successes, errors and token answers alike",
    AREA,
)
def test_every_response_has_a_flow_id(any_fleet, anonymous, clients):
    client = clients[0]
    for response in (
        any_fleet.http.get("/vehicles", params={"limit": 1}),
        any_fleet.http.get("/sharing-partners"),
        any_fleet.http.get("/vehicles/fleetbox-check-no-such-vehicle"),
        anonymous.get("/vehicles"),
        anonymous.post(TOKEN_PATH, params=GRANT, auth=(client["client_id"], client["client_secret"])),
    ):
        expect_flow_id(response)


@rule("INVERS-HDR-02", "no two requests share a flow id", AREA)
def test_flow_ids_are_unique(any_fleet):
    flow_ids = [expect_flow_id(any_fleet.http.get("/sharing-partners")) for _ in range(5)]
    expect.equal(len(set(flow_ids)), 5, "the number of different flow ids in five answers")


@rule(
    "INVERS-HDR-03",
    "an unknown vehicle is refused with 404 and a problem document {type, type_documentation, title, status, detail, "
    "flow_id}",
    AREA,
)
def test_an_unknown_vehicle_is_a_problem(any_fleet):
    response = any_fleet.http.get("/vehicles/fleetbox-check-no-such-vehicle")
    expect_problem(response, 404, "/problems/resource-not-found")
    expect.true("json" in response.headers.get("content-type", ""), "a JSON media type for the problem document")


@rule(
    "INVERS-HDR-04",
    "a master-data change that breaks the schema (a license plate of 31 characters) is refused with 400 "
    "/problems/validation-error naming the field",
    AREA,
    writes="master data (changed, then back)",
)
def test_a_malformed_body_names_the_field(any_fleet):
    vehicle = any_fleet.find()
    any_fleet.keep_master_data(vehicle, ("license_plate",))
    response = any_fleet.http.patch(f"/vehicles/{vehicle['id']}", json={"master_data": {"license_plate": "X" * 31}})
    expect_field_named(expect_problem(response, 400, "/problems/validation-error"), "license_plate")
    after = expect.json_of(any_fleet.http.get(f"/vehicles/{vehicle['id']}"))
    expect.equal(
        after["master_data"].get("license_plate"),
        vehicle["master_data"].get("license_plate"),
        "the license plate (unchanged)",
    )


@rule("INVERS-HDR-05", "timestamps are RFC 3339 in UTC with a Z (vehicles, their state, sharings)", AREA)
def test_timestamps_are_utc_rfc3339(any_fleet):
    stamps = []
    for vehicle in any_fleet.vehicles()[:20]:
        stamps += [vehicle.get("created_at"), vehicle.get("modified_at")]
        stamps += [entry.get("timestamp") for entry in (vehicle.get("state") or {}).values()]
        if vehicle.get("sharing"):
            stamps += [vehicle["sharing"].get("starts_at")] + (
                [vehicle["sharing"]["ends_at"]] if vehicle["sharing"].get("ends_at") else []
            )
    bad = [stamp for stamp in stamps if stamp is not None and not RFC3339_UTC.match(str(stamp))]
    expect.true(not bad, f"every timestamp as RFC 3339 UTC with Z; these are not: {bad[:5]}")
