"""Malformed requests get ResponseStatus errors with the right status, never a 500 or lost data."""

from __future__ import annotations

import pytest


def total(client) -> int:
    return client.get("/cars").json()["Metadata"]["Total"]


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"[]", "must be of type object"),
        (b'{"Make": 5, "Model": "x", "Year": "old", "LicensePlate": "A"}', "must be of type string"),
        (b"null", "must be of type object"),
    ],
)
def test_malformed_bodies_are_400_and_change_nothing(owner, content, expected):
    before = total(owner)
    response = owner.post("/cars", content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    status = response.json()["ResponseStatus"]
    assert expected in status["Message"] and set(status) == {"ErrorCode", "Message", "Errors", "Meta"}
    assert total(owner) == before


def test_validation_lists_one_entry_per_field(owner):
    response = owner.post("/cars", json={"Make": "", "Year": 1800, "LicensePlate": "!!"})
    errors = response.json()["ResponseStatus"]["Errors"]
    assert sorted(e["FieldName"] for e in errors) == ["LicensePlate", "Make", "Model", "Year"]
    assert {e["ErrorCode"] for e in errors} == {"RegularExpression", "Length", "NotEmpty", "GreaterThanOrEqual"}
    assert response.json()["ResponseStatus"]["ErrorCode"] == errors[0]["ErrorCode"]


@pytest.mark.parametrize(
    "path,status",
    [
        ("/cars/not-a-uuid", 400),
        ("/cars/00000000-0000-4000-8000-000000000000", 404),
        ("/cars/00000000-0000-4000-8000-000000000000/bookings", 404),
        ("/useraccounts/00000000-0000-4000-8000-000000000000", 404),
    ],
)
def test_unknown_or_malformed_ids(ops, path, status):
    response = ops.get(path)
    assert response.status_code == status and "ResponseStatus" in response.json()


def test_an_unknown_booking_of_a_real_car_is_404(owner, car):
    assert owner.put(f"/cars/{car['Id']}/bookings/00000000-0000-4000-8000-000000000000/approve").status_code == 404


def test_ids_are_matched_in_any_case(owner, car):
    assert owner.get(f"/cars/{car['Id'].upper()}").json()["Car"]["Id"] == car["Id"]
