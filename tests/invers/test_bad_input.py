"""Malformed requests get `/problems/validation-error` naming the field, never a 500, and change nothing."""

from __future__ import annotations

import pytest

from .steps import idle_car


@pytest.fixture
def car(owner, fleet_ids) -> dict:
    return idle_car(owner, fleet_ids[0])


def assert_validation_error(response, *fields: str) -> dict:
    """A validation error listing `fields` in `errors` and naming the first in `detail`."""
    assert response.status_code == 400, response.text
    problem = response.json()
    assert problem["type"] == "/problems/validation-error"
    assert [e["field"] for e in problem["errors"]] == list(fields)
    # The body as a whole is not named; every field in it is.
    assert fields[0] == "body" or fields[0] in problem["detail"]
    return problem


def test_an_empty_body_is_refused(owner, fleet_ids):
    # Bodies that are not JSON or not UTF-8, in every profile: tests/every_profile/test_bad_input.py.
    car = idle_car(owner, fleet_ids[0])
    response = owner.patch(f"/vehicles/{car['id']}", content=b"", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/validation-error" and "required" in response.json()["detail"]
    assert owner.get(f"/vehicles/{car['id']}").json() == car


@pytest.mark.parametrize(
    "content,fields",
    [
        (b"[]", ["body"]),
        (b'{"master_data": {"license_plate": 5}}', ["master_data.license_plate"]),
        (b'{"master_data": {"license_plate": "' + b"X" * 31 + b'"}}', ["master_data.license_plate"]),
        (
            b'{"master_data": {"fuel_type": "COAL", "year_of_production": "1850"}}',
            ["master_data.fuel_type", "master_data.year_of_production"],
        ),
        (b'{"master_data": {"custom_fields": {"a": 1}}}', ["master_data.custom_fields.a"]),
    ],
)
def test_a_malformed_master_data_change_is_refused_and_changes_nothing(owner, car, content, fields):
    response = owner.patch(f"/vehicles/{car['id']}", content=content, headers={"Content-Type": "application/json"})
    assert_validation_error(response, *fields)
    assert owner.get(f"/vehicles/{car['id']}").json() == car


def test_unknown_properties_are_named(owner, car):
    response = owner.patch(f"/vehicles/{car['id']}", json={"master_data": {"colour": "red"}, "fleet_id": "X"})
    problem = assert_validation_error(response, "body", "master_data")
    assert "'fleet_id'" in problem["errors"][0]["message"] and "'colour'" in problem["errors"][1]["message"]


def test_a_vehicle_holds_at_most_50_custom_fields(owner, car):
    fields = {f"field_{n}": "x" for n in range(50)}
    assert owner.patch(f"/vehicles/{car['id']}", json={"master_data": {"custom_fields": fields}}).status_code == 200
    response = owner.patch(f"/vehicles/{car['id']}", json={"master_data": {"custom_fields": {"one_more": "x"}}})
    assert_validation_error(response, "master_data.custom_fields")


@pytest.mark.parametrize(
    "body,fields",
    [
        ({}, ["fleet_id"]),
        ({"fleet_id": ""}, ["fleet_id"]),
        ({"fleet_id": 17}, ["fleet_id"]),
        # The seed's own sample timestamp has three digits of seconds: not RFC 3339.
        ({"fleet_id": "DE3P4", "ends_at": "2021-12-20T11:15:000Z"}, ["ends_at"]),
        ({"fleet_id": "DE3P4", "ends_at": "2030-01-01T12:00:00"}, ["ends_at"]),
        ({"fleet_id": "DE3P4", "partner": "DE3P4"}, ["body"]),
    ],
)
def test_a_malformed_sharing_request_names_the_field(owner, car, body, fields):
    assert_validation_error(owner.post(f"/vehicles/{car['id']}/sharing", json=body), *fields)
    assert owner.get(f"/vehicles/{car['id']}").json()["sharing"] is None


def test_a_sharing_change_needs_ends_at(owner, car):
    assert_validation_error(owner.patch(f"/vehicles/{car['id']}/sharing", json={}), "ends_at")


@pytest.mark.parametrize(
    "params,field",
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"page_token": "bm9wZQ"}, "page_token"),
        ({"page_token": "%%%"}, "page_token"),
    ],
)
def test_bad_list_parameters_are_named(owner, params, field):
    assert_validation_error(owner.get("/vehicles", params=params), field)


def test_an_unknown_command_is_a_validation_error(owner, car):
    assert_validation_error(owner.post(f"/vehicles/{car['id']}/commands/self-destruct"), "command")


def test_an_overlong_vehicle_id_is_a_validation_error(owner):
    assert_validation_error(owner.get("/vehicles/" + "V" * 65), "vehicle_id")
