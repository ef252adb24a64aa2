"""Input in any case, in JSON or form bodies and in the query string; dates in UTC only (vendor
sections "API Patterns", "Case Sensitivity", "Dates and Times")."""

from __future__ import annotations

from .. import expect
from ..rules import rule
from .steps import utc_in

AREA = "Input"


def created_car(owner, response) -> dict:
    if response.status_code == 201:
        owner.remember_car(response.json()["Car"]["Id"])
    expect.status(response, 201)
    return expect.json_of(response)["Car"]


@rule("HOURFLEET-INPUT-01", "a JSON body with camelCase names is accepted", AREA)
def test_camel_case(owner):
    plate = owner.plate()
    car = created_car(
        owner, owner.http.post("/cars", json={"make": "Kia", "model": "Niro", "year": 2022, "licensePlate": plate})
    )
    expect.equal((car.get("Make"), car.get("LicensePlate")), ("Kia", plate), "(Make, LicensePlate)")


@rule("HOURFLEET-INPUT-02", "a JSON body with snake_case names is accepted", AREA)
def test_snake_case(owner):
    plate = owner.plate()
    car = created_car(
        owner,
        owner.http.post(
            "/cars", json={"make": "Kia", "model": "Niro", "year": 2022, "license_plate": plate, "price_per_hour": 9.5}
        ),
    )
    expect.equal((car.get("LicensePlate"), car.get("PricePerHour")), (plate, 9.5), "(LicensePlate, PricePerHour)")


@rule("HOURFLEET-INPUT-03", "a form-urlencoded body is accepted, its names in any case", AREA)
def test_form_body(owner):
    plate = owner.plate()
    car = created_car(
        owner, owner.http.post("/cars", data={"Make": "Kia", "model": "Niro", "YEAR": "2022", "license_plate": plate})
    )
    expect.equal((car.get("Year"), car.get("LicensePlate")), (2022, plate), "(Year, LicensePlate)")


@rule("HOURFLEET-INPUT-04", "query parameter names are read in any case (LIMIT, limit, Limit)", AREA)
def test_query_any_case(owner, car):
    for name in ("LIMIT", "limit", "Limit"):
        body = expect.json_of(owner.http.get("/cars", params={name: 1}))
        expect.equal(len(body.get("Cars", [])), 1, f"the number of cars with {name}=1")


@rule("HOURFLEET-INPUT-05", "a date with an offset other than Z is refused with 400 naming the field", AREA)
def test_non_utc_refused(borrower, car):
    response = borrower.http.post(
        f"/cars/{car['Id']}/bookings",
        json={"StartDateUtc": utc_in(60).replace("Z", "+02:00"), "EndDateUtc": utc_in(180)},
    )
    expect.status(response, 400)
    fields = [e.get("FieldName") for e in expect.json_of(response)["ResponseStatus"].get("Errors") or []]
    expect.true("StartDateUtc" in fields, f"an entry for StartDateUtc (got {fields})")
