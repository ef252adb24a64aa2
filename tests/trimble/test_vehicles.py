"""Batch POST, PUT and DELETE of vehicles: the rules of seed 001."""

from __future__ import annotations

import re

import pytest

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$")


def vehicle_ids(client) -> dict[str, dict]:
    items = client.get("/vehicles", params={"limit": 1000}).json()["data"]
    return {item["vehicleId"]: item for item in items}


def test_added_vehicles_are_returned_pascal_case_and_listed(trimble):
    response = trimble.post(
        "/vehicles", json=[{"vehicleId": "veh1", "Name": "vehicle 1"}, {"vehicleId": "veh2", "Name": "vehicle 2"}]
    )
    assert response.status_code == 200
    body = response.json()
    assert "error" not in body
    assert [(v["VehicleId"], v["Name"]) for v in body["data"]] == [("veh1", "vehicle 1"), ("veh2", "vehicle 2")]
    assert all(set(v) == {"Id", "Name", "VehicleId", "ModifiedOn"} for v in body["data"])
    assert all(TIMESTAMP.match(v["ModifiedOn"]) for v in body["data"])
    listed = vehicle_ids(trimble)
    assert listed["veh1"]["id"] == body["data"][0]["Id"] and listed["veh2"]["name"] == "vehicle 2"


@pytest.mark.parametrize("id_key", ["VehicleID", "VehicleId", "vehicleId"])
@pytest.mark.parametrize("name_key", ["Name", "name"])
def test_input_keys_are_accepted_in_the_seeds_casings(trimble, id_key, name_key):
    response = trimble.post("/vehicles", json=[{id_key: f"k-{id_key}-{name_key}", name_key: f"n {id_key} {name_key}"}])
    assert response.status_code == 200
    assert response.json()["data"][0]["VehicleId"] == f"k-{id_key}-{name_key}"


def test_an_id_sent_under_two_keys_is_refused(trimble):
    response = trimble.post("/vehicles", json=[{"VehicleID": "a", "vehicleId": "b", "Name": "x"}])
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "[0]"


def test_same_id_and_same_name_is_ignored_as_a_duplicate(trimble):
    trimble.post("/vehicles", json=[{"vehicleId": "veh1", "Name": "vehicle 1"}])
    response = trimble.post(
        "/vehicles", json=[{"vehicleId": "veh1", "Name": "vehicle 1"}, {"vehicleId": "veh2", "Name": "vehicle 2"}]
    )
    body = response.json()
    assert response.status_code == 200
    assert body["error"] == {
        "message": "The request finished without adding duplicate vehicleIds",
        "code": -12,
        "duplicate_ids": ["veh1"],
    }
    assert [v["VehicleId"] for v in body["data"]] == ["veh2"]


def test_same_id_with_another_name_is_not_added_either(trimble):
    trimble.post("/vehicles", json=[{"vehicleId": "veh1", "Name": "vehicle 1"}])
    body = trimble.post("/vehicles", json=[{"vehicleId": "veh1", "Name": "renamed on the way"}]).json()
    assert body["error"]["duplicate_ids"] == ["veh1"] and body["data"] == []
    assert vehicle_ids(trimble)["veh1"]["name"] == "vehicle 1"


def test_a_taken_name_under_a_new_id_is_a_duplicate(trimble):
    trimble.post("/vehicles", json=[{"vehicleId": "veh1", "Name": "vehicle 1"}])
    body = trimble.post("/vehicles", json=[{"vehicleId": "veh9", "Name": "VEHICLE 1"}]).json()
    assert body["error"]["duplicate_ids"] == ["veh9"]
    assert "veh9" not in vehicle_ids(trimble)


def test_duplicates_within_one_batch_keep_the_first(trimble):
    body = trimble.post(
        "/vehicles", json=[{"vehicleId": "dup", "Name": "first"}, {"vehicleId": "DUP", "Name": "second"}]
    ).json()
    assert [v["Name"] for v in body["data"]] == ["first"]
    assert body["error"]["duplicate_ids"] == ["DUP"]


def test_partner_accounts_share_one_uniqueness_scope(sandbox):
    partner = sandbox.trimble_account("partner")
    own = sandbox.trimble("partner")
    customer = sandbox.trimble("partner", account_id=partner["customerAccounts"][0]["accountId"])
    assert own.post("/vehicles", json=[{"vehicleId": "cloud-1", "Name": "cloud vehicle"}]).json()["data"]
    body = customer.post("/vehicles", json=[{"vehicleId": "cloud-1", "Name": "other name"}]).json()
    assert body["error"] == {
        "message": "The request finished without adding duplicate vehicleIds for the Partner",
        "code": -12,
        "duplicate_ids": ["cloud-1"],
    }
    # The partner's own fleet and the customer's fleet stay separate lists.
    assert "cloud-1" not in vehicle_ids(customer)


def test_a_direct_account_is_its_own_scope(sandbox):
    direct = sandbox.trimble("direct")
    partner = sandbox.trimble("partner")
    assert direct.post("/vehicles", json=[{"vehicleId": "same", "Name": "same name"}]).json()["data"]
    assert partner.post("/vehicles", json=[{"vehicleId": "same", "Name": "same name"}]).json()["data"]


def test_fifty_vehicles_fit_in_one_request_and_fifty_one_do_not(trimble):
    fifty = [{"vehicleId": f"b{i}", "Name": f"batch {i}"} for i in range(50)]
    assert len(trimble.post("/vehicles", json=fifty).json()["data"]) == 50
    response = trimble.post("/vehicles", json=fifty + [{"vehicleId": "b50", "Name": "batch 50"}])
    assert response.status_code == 400
    assert response.json()["message"] == "A request holds 1 to 50 vehicles; this one holds 51."
    assert "b50" not in vehicle_ids(trimble)


def test_an_empty_batch_is_refused(trimble):
    response = trimble.post("/vehicles", json=[])
    assert response.status_code == 400
    assert "1 to 50" in response.json()["message"]


@pytest.mark.parametrize("bad", ["slash/no", "tab\there", "ümlaut", "semi;colon", "quote'", "<b>"])
def test_only_the_documented_characters_are_allowed(trimble, bad):
    response = trimble.post(
        "/vehicles", json=[{"vehicleId": "fine", "Name": "fine"}, {"vehicleId": bad, "Name": "ok name"}]
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "[1].vehicleId"
    assert "can only include the following characters" in body["message"]
    assert "fine" not in vehicle_ids(trimble)


def test_every_allowed_character_is_accepted(trimble):
    allowed = "AZaz09-_=+*#! .,()`~?"
    assert (
        trimble.post("/vehicles", json=[{"vehicleId": allowed, "Name": allowed}]).json()["data"][0]["Name"] == allowed
    )


def test_rename_reports_unknown_ids_with_code_minus_11(trimble):
    trimble.post("/vehicles", json=[{"vehicleId": "veh1", "Name": "vehicle 1"}])
    body = trimble.put(
        "/vehicles", json=[{"vehicleId": "veh1", "Name": "vehicle new 1"}, {"vehicleId": "veh3", "Name": "vehicle 3"}]
    ).json()
    assert body["error"] == {
        "message": "The request finished without updating non-existent vehicleIds",
        "code": -11,
        "ids_not_found": ["veh3"],
    }
    assert [(v["VehicleId"], v["Name"]) for v in body["data"]] == [("veh1", "vehicle new 1")]
    assert vehicle_ids(trimble)["veh1"]["name"] == "vehicle new 1"


def test_rename_keeps_names_unique(trimble):
    trimble.post("/vehicles", json=[{"vehicleId": "a", "Name": "alpha"}, {"vehicleId": "b", "Name": "beta"}])
    body = trimble.put("/vehicles", json=[{"vehicleId": "b", "Name": "ALPHA"}]).json()
    assert body["error"]["code"] == -12 and body["error"]["duplicate_ids"] == ["b"]
    assert vehicle_ids(trimble)["b"]["name"] == "beta"


def test_rename_reports_both_problems_at_once(trimble):
    trimble.post("/vehicles", json=[{"vehicleId": "a", "Name": "alpha"}, {"vehicleId": "b", "Name": "beta"}])
    body = trimble.put(
        "/vehicles", json=[{"vehicleId": "b", "Name": "alpha"}, {"vehicleId": "zz", "Name": "zeta"}]
    ).json()
    assert body["error"]["code"] == -11
    assert body["error"]["ids_not_found"] == ["zz"] and body["error"]["duplicate_ids"] == ["b"]


def test_a_vehicle_of_another_customer_cannot_be_renamed(sandbox):
    partner = sandbox.trimble_account("partner")
    own = sandbox.trimble("partner")
    customer = sandbox.trimble("partner", account_id=partner["customerAccounts"][0]["accountId"])
    own.post("/vehicles", json=[{"vehicleId": "mine", "Name": "partner owned"}])
    assert customer.put("/vehicles", json=[{"vehicleId": "mine", "Name": "stolen"}]).json()["error"][
        "ids_not_found"
    ] == ["mine"]


def test_modified_on_changes_on_every_write_even_on_a_frozen_clock(sandbox):
    sandbox.control.put(f"/sandboxes/{sandbox.id}/clock", json={"now": "2030-05-01T12:00:00Z", "frozen": True})
    trimble = sandbox.trimble("direct")
    created = trimble.post("/vehicles", json=[{"vehicleId": "m", "Name": "m1"}]).json()["data"][0]["ModifiedOn"]
    assert created.startswith("2030-05-01T12:00:00")
    renamed = trimble.put("/vehicles", json=[{"vehicleId": "m", "Name": "m1"}]).json()["data"][0]["ModifiedOn"]
    again = trimble.put("/vehicles", json=[{"vehicleId": "m", "Name": "m2"}]).json()["data"][0]["ModifiedOn"]
    assert created < renamed < again
    assert vehicle_ids(trimble)["m"]["modifiedOn"] == again


def test_delete_answers_the_seeds_messages(trimble):
    vehicle = trimble.post("/vehicles", json=[{"vehicleId": "gone", "Name": "going"}]).json()["data"][0]
    response = trimble.delete("/vehicles", params={"vehicleId": "gone"})
    assert response.status_code == 200
    assert response.json() == {"message": f"Successfully deleted vehicle with Id: {vehicle['Id']}"}
    again = trimble.delete("/vehicles", params={"vehicleId": "gone"})
    assert again.status_code == 404
    assert again.json() == {"message": "No vehicle found with Id: gone"}
    assert "gone" not in vehicle_ids(trimble)


def test_delete_needs_a_vehicle_id(trimble):
    response = trimble.delete("/vehicles")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "vehicleId", "message": "is required."}]
