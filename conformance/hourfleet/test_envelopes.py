"""Envelopes, errors, names, ids and dates, and the status codes of writes (vendor sections "API Patterns"
to "Success Responses")."""

from __future__ import annotations

import re

from .. import expect
from ..rules import rule

ENVELOPES = "Envelopes and errors"
STATUS = "Status codes"
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
PASCAL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
NO_SUCH_ID = "00000000-0000-4000-8000-000000000000"


def names_in(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {name for item in value.values() for name in names_in(item)}
    if isinstance(value, list):
        return {name for item in value for name in names_in(item)}
    return set()


@rule(
    "HOURFLEET-ENV-01",
    'a single resource is wrapped in a property named for it: {"Car": {...}}',
    ENVELOPES,
    writes="its cars (created, deleted)",
)
def test_single_envelope(owner, car):
    body = expect.json_of(owner.http.get(f"/cars/{car['Id']}"))
    expect.equal(list(body), ["Car"], "the top-level properties")


@rule(
    "HOURFLEET-ENV-02",
    'a search wraps its results in the plural name next to Metadata: {"Cars": [...], "Metadata": {...}}',
    ENVELOPES,
    writes="its cars (created, deleted)",
)
def test_list_envelope(owner, car):
    body = expect.json_of(owner.http.get("/cars"))
    expect.equal(sorted(body), ["Cars", "Metadata"], "the top-level properties")
    expect.true(isinstance(body["Cars"], list), "Cars to be an array")


@rule(
    "HOURFLEET-ENV-03",
    "an error is a ResponseStatus with ErrorCode, Message, Errors and Meta, and no resource next to it",
    ENVELOPES,
)
def test_error_envelope(owner):
    body = expect.json_of(owner.http.get(f"/cars/{NO_SUCH_ID}"))
    expect.equal(list(body), ["ResponseStatus"], "the top-level properties of an error")
    status = body["ResponseStatus"]
    expect.true({"ErrorCode", "Message"} <= set(status), "ErrorCode and Message in the ResponseStatus")
    expect.true(
        isinstance(status.get("Errors", []), list) and isinstance(status.get("Meta", {}), dict),
        "Errors as an array and Meta as an object",
    )


@rule(
    "HOURFLEET-ENV-04",
    "a validation failure is a 400 whose Errors hold one entry per invalid field, each with ErrorCode, FieldName and "
    "Message",
    ENVELOPES,
    writes="its cars (created)",
)
def test_validation_errors(owner):
    response = owner.http.post("/cars", json={"Make": "Kia", "Year": "old"})
    expect.status(response, 400)
    errors = expect.json_of(response)["ResponseStatus"].get("Errors") or []
    fields = [e.get("FieldName") for e in errors]
    expect.true(
        {"Model", "Year", "LicensePlate"} <= set(fields), f"entries for Model, Year and LicensePlate (got {fields})"
    )
    expect.equal(len(fields), len(set(fields)), "the number of entries (one per field)")
    expect.true(
        all(e.get("ErrorCode") and e.get("Message") for e in errors), "an ErrorCode and a Message on each entry"
    )


@rule(
    "HOURFLEET-ENV-05",
    "every property name in a response is PascalCase",
    ENVELOPES,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_pascal_case(owner, car, booking):
    for path in (f"/cars/{car['Id']}", "/cars", f"/cars/{car['Id']}/bookings", "/useraccounts"):
        odd = sorted(name for name in names_in(expect.json_of(owner.http.get(path))) if not PASCAL.match(name))
        expect.true(not odd, f"PascalCase names only in GET {path} (found {odd})")


@rule(
    "HOURFLEET-ENV-06",
    "resource ids are UUIDs",
    ENVELOPES,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_uuids(owner, car, booking):
    expect.true(bool(UUID.match(car["Id"])) and bool(UUID.match(booking["Id"])), "UUID ids for a car and a booking")
    expect.true(
        all(UUID.match(user["Id"]) for user in expect.json_of(owner.http.get("/useraccounts"))["UserAccounts"]),
        "UUID user ids",
    )


@rule(
    "HOURFLEET-ENV-07",
    "dates are ISO 8601 in UTC (ending in Z) under names ending in Utc",
    ENVELOPES,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_dates(owner, car, booking):
    dated = {**car, **booking}
    for name, value in dated.items():
        if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}T", value):
            expect.true(name.endswith("Utc"), f"the date property {name} to end in Utc")
            expect.true(bool(UTC.match(value)), f"{name} ({value}) in UTC with a Z")
    expect.true("CreatedDateUtc" in car, "CreatedDateUtc on a new car")


@rule(
    "HOURFLEET-ENV-08",
    "a date without a value is omitted, not null: a pending booking has no ApprovedDateUtc",
    ENVELOPES,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_empty_dates_omitted(booking):
    expect.true(
        "ApprovedDateUtc" not in booking and None not in booking.values(),
        "no ApprovedDateUtc and no null on a pending booking",
    )


@rule("HOURFLEET-ENV-09", "an unknown car id answers 404 with a ResponseStatus", ENVELOPES)
def test_unknown_id(owner):
    response = owner.http.get(f"/cars/{NO_SUCH_ID}")
    expect.status(response, 404)
    expect.true("ResponseStatus" in expect.json_of(response), "a ResponseStatus")


@rule(
    "HOURFLEET-STATUS-01",
    "POST answers 201 with the created resource",
    STATUS,
    writes="its cars (created, deleted)",
)
def test_post_201(owner):
    plate = owner.plate()
    response = owner.http.post("/cars", json={"Make": "Mazda", "Model": "3", "Year": 2020, "LicensePlate": plate})
    if response.status_code in (200, 201) and "Car" in response.json():
        owner.remember_car(response.json()["Car"]["Id"])
    expect.status(response, 201)
    expect.equal(expect.json_of(response)["Car"].get("LicensePlate"), plate, "the created car's LicensePlate")


@rule(
    "HOURFLEET-STATUS-02",
    "POST answers a Location header with the URL of the created resource",
    STATUS,
    writes="its cars (created, deleted)",
)
def test_post_location(owner):
    response = owner.http.post(
        "/cars", json={"Make": "Mazda", "Model": "3", "Year": 2020, "LicensePlate": owner.plate()}
    )
    if response.status_code in (200, 201) and "Car" in response.json():
        owner.remember_car(response.json()["Car"]["Id"])
    location = response.headers.get("location")
    expect.true(bool(location), "a Location header")
    fetched = owner.http.get(str(owner.http.base_url.join(location)))
    expect.status(fetched, 200)
    expect.equal(
        expect.json_of(fetched).get("Car", {}).get("Id"),
        response.json()["Car"]["Id"],
        "the Id of the car at the Location",
    )


@rule(
    "HOURFLEET-STATUS-03",
    "PATCH answers 202 with the updated resource",
    STATUS,
    writes="its cars (created, changed, deleted)",
)
def test_patch_202(owner, car):
    response = owner.http.patch(f"/cars/{car['Id']}", json={"Color": "Red"})
    expect.status(response, 202)
    expect.equal(expect.json_of(response)["Car"].get("Color"), "Red", "the updated Color")


@rule(
    "HOURFLEET-STATUS-04",
    "an RPC-style PUT action (PUT /cars/{Id}/lock) answers 202 with the resource",
    STATUS,
    writes="its cars (created, locked, deleted)",
)
def test_put_202(owner, car):
    response = owner.http.put(f"/cars/{car['Id']}/lock")
    expect.status(response, 202)
    expect.equal(expect.json_of(response)["Car"].get("Id"), car["Id"], "the car's Id")


@rule(
    "HOURFLEET-STATUS-05",
    "DELETE answers 204 with no body, and the resource is gone",
    STATUS,
    writes="its cars (created, deleted)",
)
def test_delete_204(owner, car):
    response = owner.http.delete(f"/cars/{car['Id']}")
    expect.status(response, 204)
    expect.equal(response.content, b"", "the body")
    expect.status(owner.http.get(f"/cars/{car['Id']}"), 404)


@rule(
    "HOURFLEET-STATUS-06",
    "PATCH is a partial update: properties not sent keep their values",
    STATUS,
    writes="its cars (created, changed, deleted)",
)
def test_patch_partial(owner, car):
    updated = expect.json_of(owner.http.patch(f"/cars/{car['Id']}", json={"Seats": 7}))["Car"]
    expect.equal(
        (updated.get("Seats"), updated.get("Color"), updated.get("Make")),
        (7, car["Color"], car["Make"]),
        "(Seats, Color, Make)",
    )


@rule(
    "HOURFLEET-STATUS-07",
    "PATCH refuses properties that cannot be updated with a 400 naming each of them",
    STATUS,
    writes="its cars (created, changed, deleted)",
)
def test_patch_not_updatable(owner, car):
    response = owner.http.patch(f"/cars/{car['Id']}", json={"Make": "Ford", "Year": 1999})
    expect.status(response, 400)
    fields = {e.get("FieldName") for e in expect.json_of(response)["ResponseStatus"].get("Errors") or []}
    expect.true({"Make", "Year"} <= fields, f"Errors naming Make and Year (got {sorted(fields)})")
    expect.equal(
        expect.json_of(owner.http.get(f"/cars/{car['Id']}"))["Car"].get("Make"),
        car["Make"],
        "the car's Make (unchanged)",
    )
