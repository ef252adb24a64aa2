"""Input in any case, in JSON or form bodies and in the query string (a body's properties too); dates in
UTC only (vendor sections "API Patterns", "Case Sensitivity", "Dates and Times")."""

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


@rule("HOURFLEET-INPUT-01", "a JSON body with camelCase names is accepted", AREA, writes="its cars (created, deleted)")
def test_camel_case(owner):
    plate = owner.plate()
    car = created_car(
        owner, owner.http.post("/cars", json={"make": "Kia", "model": "Niro", "year": 2022, "licensePlate": plate})
    )
    expect.equal((car.get("Make"), car.get("LicensePlate")), ("Kia", plate), "(Make, LicensePlate)")


@rule(
    "HOURFLEET-INPUT-02",
    "a JSON body with snake_case names is accepted",
    AREA,
    writes="its cars (created, deleted)",
)
def test_snake_case(owner):
    plate = owner.plate()
    car = created_car(
        owner,
        owner.http.post(
            "/cars", json={"make": "Kia", "model": "Niro", "year": 2022, "license_plate": plate, "price_per_hour": 9.5}
        ),
    )
    expect.equal((car.get("LicensePlate"), car.get("PricePerHour")), (plate, 9.5), "(LicensePlate, PricePerHour)")


@rule(
    "HOURFLEET-INPUT-03",
    "a form-urlencoded body is accepted, its names in any case",
    AREA,
    writes="its cars (created, deleted)",
)
def test_form_body(owner):
    plate = owner.plate()
    car = created_car(
        owner, owner.http.post("/cars", data={"Make": "Kia", "model": "Niro", "YEAR": "2022", "license_plate": plate})
    )
    expect.equal((car.get("Year"), car.get("LicensePlate")), (2022, plate), "(Year, LicensePlate)")


@rule(
    "HOURFLEET-INPUT-04",
    "query parameter names are read in any case (LIMIT, limit, Limit)",
    AREA,
    writes="its cars (created, deleted)",
)
def test_query_any_case(owner, car):
    for name in ("LIMIT", "limit", "Limit"):
        body = expect.json_of(owner.http.get("/cars", params={name: 1}))
        expect.equal(len(body.get("Cars", [])), 1, f"the number of cars with {name}=1")


@rule(
    "HOURFLEET-INPUT-05",
    "a date with an offset other than Z is refused with 400 naming the field",
    AREA,
    writes="its cars (created, deleted); bookings of them (made)",
)
def test_non_utc_refused(borrower, car):
    # Far enough ahead that, read in UTC as a lenient server would (two hours earlier), the period is
    # still a valid future one: only a refusal of the offset answers 400 then.
    response = borrower.http.post(
        f"/cars/{car['Id']}/bookings",
        json={"StartDateUtc": utc_in(600).replace("Z", "+02:00"), "EndDateUtc": utc_in(720)},
    )
    expect.status(response, 400)
    fields = [e.get("FieldName") for e in expect.json_of(response)["ResponseStatus"].get("Errors") or []]
    expect.true("StartDateUtc" in fields, f"an entry for StartDateUtc (got {fields})")


@rule(
    "HOURFLEET-INPUT-06",
    "a POST or PATCH reads its properties from the query string alone, in any case",
    AREA,
    writes="its cars (created, changed, deleted)",
)
def test_query_alone(owner):
    plate = owner.plate()
    car = created_car(
        owner, owner.http.post("/cars", params={"make": "Kia", "Model": "Niro", "YEAR": "2022", "license_plate": plate})
    )
    expect.equal((car.get("Make"), car.get("Year"), car.get("LicensePlate")), ("Kia", 2022, plate), "the car")
    patched = owner.http.patch(f"/cars/{car['Id']}", params={"color": "Green", "Seats": "5"})
    expect.status(patched, 202)
    updated = expect.json_of(patched)["Car"]
    expect.equal((updated.get("Color"), updated.get("Seats")), ("Green", 5), "(Color, Seats) after the PATCH")


@rule(
    "HOURFLEET-INPUT-07",
    "the query string overrides a JSON body's property, and a form body overrides the query string's",
    AREA,
    writes="its cars (created, deleted)",
)
def test_query_and_body_precedence(owner):
    query = {"Year": "2020", "color": "Red"}
    plate = owner.plate()
    car = created_car(
        owner,
        owner.http.post(
            "/cars", params=query, json={"Make": "Kia", "Model": "Niro", "Year": 2022, "LicensePlate": plate}
        ),
    )
    expect.equal((car.get("Year"), car.get("Color")), (2020, "Red"), "(Year, Color) from a JSON body and the query")
    plate = owner.plate()
    car = created_car(
        owner,
        owner.http.post(
            "/cars", params={**query, "Make": "Kia", "Model": "Niro"}, data={"year": "2022", "LicensePlate": plate}
        ),
    )
    expect.equal((car.get("Year"), car.get("Color")), (2022, "Red"), "(Year, Color) from a form body and the query")


def field_errors(response) -> list[tuple]:
    expect.status(response, 400)
    errors = expect.json_of(response).get("ResponseStatus", {}).get("Errors") or []
    return sorted((e.get("FieldName"), e.get("ErrorCode"), e.get("Message")) for e in errors)


@rule(
    "HOURFLEET-INPUT-08",
    "a property from the query string is refused with the per-field errors of a body",
    AREA,
    writes="its cars (created)",
)
def test_query_refused_as_a_body(owner):
    fields = {"Make": "Kia", "Model": "Niro", "Year": 1800, "LicensePlate": owner.plate(), "Seats": 0}
    from_query = field_errors(owner.http.post("/cars", params={k: str(v) for k, v in fields.items()}))
    from_body = field_errors(owner.http.post("/cars", json=fields))
    expect.equal(from_query, from_body, "the errors of the query's properties (as the same JSON body's)")
    expect.equal(sorted(e[0] for e in from_query), ["Seats", "Year"], "the fields named")
