"""Input names in any case (camelCase, PascalCase, snake_case), in JSON and form bodies and in queries."""

from __future__ import annotations

import pytest

from .steps import soon


@pytest.mark.parametrize(
    "names",
    [
        {"Make": "Kia", "Model": "Niro", "Year": 2022, "LicensePlate": "CASE-1"},
        {"make": "Kia", "model": "Niro", "year": 2022, "licensePlate": "CASE-1"},
        {"MAKE": "Kia", "model": "Niro", "YEAR": 2022, "license_plate": "CASE-1"},
    ],
)
def test_json_bodies_in_any_case(owner, names):
    response = owner.post("/cars", json=names)
    assert response.status_code == 201, response.text
    assert response.json()["Car"]["LicensePlate"] == "CASE-1"


def test_form_bodies_in_any_case(owner, borrower, car):
    created = owner.post(
        "/cars",
        data={"make": "Kia", "model": "Niro", "year": "2022", "license_plate": "FORM-1", "price_per_hour": "12.5"},
    )
    assert created.status_code == 201, created.text
    assert created.json()["Car"]["Year"] == 2022 and created.json()["Car"]["PricePerHour"] == 12.5
    booked = borrower.post(f"/cars/{car['Id']}/bookings", data={"start_date_utc": soon(60), "endDateUtc": soon(120)})
    assert booked.status_code == 201, booked.text


def test_query_names_in_any_case(owner):
    for params in ({"SORT": "-Year", "LIMIT": 2}, {"sort": "-Year", "limit": 2}, {"Sort": "-Year", "Limit": 2}):
        body = owner.get("/cars", params=params).json()
        assert body["Metadata"]["Limit"] == 2 and body["Metadata"]["Sort"]["Direction"] == "Descending"


def test_oauth_fields_in_any_case(sandbox):
    app = sandbox.hourfleet_app
    response = sandbox.anonymous_hourfleet().post(
        "/oauth/token",
        data={"GrantType": "client_credentials", "ClientId": app["client_id"], "client-secret": app["client_secret"]},
    )
    assert response.status_code == 200, response.text


def test_unknown_names_are_still_refused(owner):
    response = owner.post(
        "/cars", json={"Make": "Kia", "Model": "Niro", "Year": 2022, "LicensePlate": "UNK-1", "Wheels": 4}
    )
    assert response.status_code == 400
