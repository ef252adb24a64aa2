"""Malformed requests get Trimble-style errors with the right status, never a 500 or lost data.
(Bodies that are not JSON, and unknown routes, methods and media types: tests/every_profile/.)"""

from __future__ import annotations

import pytest


def count(client) -> int:
    return client.get("/vehicles").json()["size"]


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"3\xc5\x19Y\xed", "not valid utf-8"),
        (b'{"vehicleId": "x"}', "must be of type array"),
        (b"null", "must be of type array, not null"),
        (b"  ", "not valid JSON"),
        (b"[1, 2]", "must be of type object"),
        (b'[{"vehicleId": 5, "Name": "x"}]', "must be of type string"),
    ],
)
def test_malformed_bodies_are_400_and_change_nothing(trimble, content, expected):
    before = count(trimble)
    response = trimble.post("/vehicles", content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert expected in response.json()["message"]
    assert count(trimble) == before


def test_a_missing_body_is_400(trimble):
    response = trimble.post("/vehicles", headers={"Content-Type": "application/json"})
    assert response.status_code == 400


def test_errors_list_every_bad_field(trimble):
    response = trimble.post(
        "/vehicles", json=[{"vehicleId": "ok", "Name": "a/b"}, {"Name": "x"}, {"vehicleId": "", "Name": "y"}]
    )
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["[0].Name", "[1]", "[2].vehicleId"]


@pytest.mark.parametrize("path", ["/vehiclegroups/abc/vehicles", "/vehiclegroups/1.5"])
def test_a_non_numeric_group_id_matches_no_route(trimble, path):
    # As in ASP.NET with an {id:int} route constraint: no route matches, so 404.
    response = (
        trimble.request("PUT", path, json={"vehicleGroupName": "x"}) if path.endswith("1.5") else trimble.get(path)
    )
    assert response.status_code == 404
    assert response.json()["message"].startswith("No HTTP resource was found")


def test_a_huge_account_id_is_just_an_invalid_alias(sandbox):
    body = {"apiKey": sandbox.trimble_account("partner")["apiKey"], "accountId": "9" * 40}
    response = sandbox.anonymous_trimble().post("/accounts/authenticate", json=body)
    assert response.status_code == 400
    assert response.json()["message"] == "Invalid apiKey value or alias sent"


def test_an_offset_beyond_int32_is_refused_not_a_crash(trimble):
    # Found by Schemathesis: a 23-digit offset used to reach the JSON writer and answer 500.
    response = trimble.get("/drivers", params={"offset": 131035035712553467510784})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "offset"
