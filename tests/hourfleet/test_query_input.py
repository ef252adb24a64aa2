"""Body properties from the query string, the body or both, in any case, with a body's validation
(ServiceStack's binding: a JSON body < the query string < a form body)."""

from __future__ import annotations

import pytest
import yaml

from conformance.contract import spec_path

from .steps import soon

CAR = {"Make": "Kia", "Model": "Niro", "Year": "2022", "LicensePlate": "QS-1"}


def errors_of(response) -> list[tuple[str, str, str]]:
    assert response.status_code == 400, response.text
    errors = response.json()["ResponseStatus"]["Errors"]
    return sorted((e["FieldName"], e["ErrorCode"], e["Message"]) for e in errors)


def test_the_query_alone_creates_a_car(owner):
    response = owner.post("/cars", params={"make": "Kia", "model": "Niro", "year": 2022, "license_plate": "QS-1"})
    assert response.status_code == 201, response.text
    car = response.json()["Car"]
    assert (car["Make"], car["Model"], car["Year"], car["LicensePlate"]) == ("Kia", "Niro", 2022, "QS-1")


@pytest.mark.parametrize(
    "params",
    [
        {"Make": "Kia", "Model": "Niro", "Year": "2022", "LicensePlate": "QS-2", "PricePerHour": "7.5"},
        {"make": "Kia", "model": "Niro", "year": "2022", "licensePlate": "QS-2", "pricePerHour": "7.5"},
        {"MAKE": "Kia", "model": "Niro", "YEAR": "2022", "license_plate": "QS-2", "price-per-hour": "7.5"},
    ],
)
def test_query_names_in_any_case_are_converted_like_a_form(owner, params):
    response = owner.post("/cars", params=params)
    assert response.status_code == 201, response.text
    assert response.json()["Car"]["Year"] == 2022 and response.json()["Car"]["PricePerHour"] == 7.5


def test_the_query_completes_a_json_body_and_wins_over_it(owner):
    response = owner.post(
        "/cars",
        params={"year": "2020", "color": "Red"},
        json={"Make": "Kia", "Model": "Niro", "Year": 2022, "license_plate": "QS-3", "Seats": 4},
    )
    assert response.status_code == 201, response.text
    car = response.json()["Car"]
    assert (car["Year"], car["Color"], car["Seats"], car["LicensePlate"]) == (2020, "Red", 4, "QS-3")


def test_a_form_body_completes_the_query_and_wins_over_it(owner):
    response = owner.post(
        "/cars",
        params={"Make": "Kia", "Model": "Niro", "Year": "2020", "Color": "Red"},
        data={"year": "2022", "license_plate": "QS-4"},
    )
    assert response.status_code == 201, response.text
    car = response.json()["Car"]
    assert (car["Year"], car["Color"], car["LicensePlate"]) == (2022, "Red", "QS-4")


def test_the_body_alone_is_read_as_before(owner):
    assert owner.post("/cars", json={**CAR, "Year": 2022}).status_code == 201
    assert owner.post("/cars", data={**CAR, "LicensePlate": "QS-5"}).status_code == 201


def test_no_body_and_no_query_properties_is_still_a_missing_body(owner):
    response = owner.post("/cars", params={"format": "json"})
    assert response.status_code == 400 and "RequestBody is required" in response.text


@pytest.mark.parametrize(
    "bad,as_json",
    [
        ({"Year": "1800", "Seats": "0"}, {"Year": 1800, "Seats": 0}),  # out of range
        ({"Year": "new", "PricePerHour": "cheap"}, {"Year": "new", "PricePerHour": "cheap"}),  # not numbers
        ({"Model": ""}, {"Model": ""}),  # too short
    ],
)
def test_query_values_are_refused_with_a_bodys_per_field_errors(owner, bad, as_json):
    from_query = errors_of(owner.post("/cars", params={**CAR, **bad}))
    assert from_query == errors_of(owner.post("/cars", json={**CAR, "Year": 2022, **as_json}))
    assert from_query == errors_of(owner.post("/cars", params=bad, json={**CAR, "Year": 2022}))
    assert {field for field, _, _ in from_query} == set(bad)


def test_missing_required_properties_are_named_as_for_a_body(owner):
    from_query = errors_of(owner.post("/cars", params={"make": "Kia"}))
    assert from_query == errors_of(owner.post("/cars", json={"make": "Kia"}))
    assert [field for field, _, _ in from_query] == ["LicensePlate", "Model", "Year"]


def test_declared_query_parameters_stay_parameters(owner):
    response = owner.post("/cars", params={**CAR, "format": "xml"})
    assert response.status_code == 201 and response.headers["content-type"].startswith("application/xml")


def test_patch_and_put_read_the_query(owner, borrower, car):
    patched = owner.patch(f"/cars/{car['Id']}", params={"color": "Green", "seats": "5"})
    assert patched.status_code == 202, patched.text
    assert (patched.json()["Car"]["Color"], patched.json()["Car"]["Seats"]) == ("Green", 5)
    refused = owner.patch(f"/cars/{car['Id']}", params={"year": "2000"})
    assert refused.status_code == 400 and [e["FieldName"] for e in refused.json()["ResponseStatus"]["Errors"]] == [
        "Year"
    ]
    booked = borrower.post(f"/cars/{car['Id']}/bookings", params={"start_date_utc": soon(60), "EndDateUtc": soon(120)})
    assert booked.status_code == 201, booked.text
    booking = booked.json()["CarBooking"]
    owner.put(f"/cars/{car['Id']}/bookings/{booking['Id']}/approve").raise_for_status()
    extended = borrower.put(f"/cars/{car['Id']}/bookings/{booking['Id']}/extend", params={"endDateUtc": soon(180)})
    assert extended.status_code == 202, extended.text


@pytest.mark.parametrize(
    "events",
    [
        [("events", "carbooking_approve,carbooking_use")],
        [("Events", "carbooking_approve"), ("events", "carbooking_use")],
    ],
)
def test_a_list_from_the_query_is_comma_separated_or_repeated(ops, events):
    params = [("Name", "q"), ("url", "http://127.0.0.1:9/hook"), *events]
    subscribed = ops.post("/webhooks/subscriptions", params=params)
    assert subscribed.status_code == 201, subscribed.text
    assert subscribed.json()["WebhookSubscription"]["Events"] == ["carbooking_approve", "carbooking_use"]


def test_oauth_fields_from_the_query(sandbox):
    hourfleet_app = sandbox.hourfleet_app
    response = sandbox.anonymous_hourfleet().post(
        "/oauth/token",
        params={
            "grant_type": "client_credentials",
            "client_id": hourfleet_app["client_id"],
            "ClientSecret": hourfleet_app["client_secret"],
        },
    )
    assert response.status_code == 200, response.text


def test_the_spec_documents_query_input_on_every_body_operation():
    spec = yaml.safe_load(spec_path("hourfleet.yaml").read_text())
    assert "query string overrides" in spec["info"]["description"]
    for path, item in spec["paths"].items():
        for method in ("post", "put", "patch"):
            body = item.get(method, {}).get("requestBody")
            if body is not None:
                assert "query string" in body.get("description", ""), f"{method.upper()} {path}"
