"""Cars: 201 with Location, 202 for PATCH and actions, 204 for DELETE, partial updates, embedding."""

from __future__ import annotations

import re

import httpx

UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$")


def test_post_answers_201_with_the_car_and_a_location_that_serves_it(owner):
    response = owner.post("/cars", json={"Make": "Mazda", "Model": "3", "Year": 2019, "LicensePlate": "LOC-1"})
    assert response.status_code == 201
    car = response.json()["Car"]
    assert UUID.match(car["Id"]) and UTC.match(car["CreatedDateUtc"])
    assert response.headers["location"].endswith(f"/hourfleet/api/cars/{car['Id']}")
    fetched = httpx.get(response.headers["location"], headers=owner.http.headers)
    assert fetched.status_code == 200 and fetched.json()["Car"]["Id"] == car["Id"]


def test_empty_values_are_omitted_and_names_are_pascal_case(owner, car):
    assert "Seats" not in car and "PricePerHour" not in car
    assert all(key[0].isupper() for key in car)


def test_patch_is_a_partial_update_answered_202(owner, car):
    response = owner.patch(f"/cars/{car['Id']}", json={"Color": "Red", "Seats": 5})
    assert response.status_code == 202
    updated = response.json()["Car"]
    assert (updated["Color"], updated["Seats"], updated["Make"]) == ("Red", 5, car["Make"])
    assert updated["LastModifiedDateUtc"] > car["LastModifiedDateUtc"]


def test_properties_that_cannot_be_updated_are_refused_one_entry_each(owner, car):
    response = owner.patch(f"/cars/{car['Id']}", json={"Make": "Ford", "Year": 1999, "Color": "Green"})
    assert response.status_code == 400
    status = response.json()["ResponseStatus"]
    assert {(e["FieldName"], e["ErrorCode"]) for e in status["Errors"]} == {
        ("Make", "NotUpdatable"),
        ("Year", "NotUpdatable"),
    }
    assert owner.get(f"/cars/{car['Id']}").json()["Car"]["Color"] == "Blue"


def test_an_empty_patch_is_refused(owner, car):
    assert owner.patch(f"/cars/{car['Id']}", json={}).status_code == 400


def test_only_the_owner_or_an_operator_changes_a_car(borrower, ops, car):
    assert borrower.patch(f"/cars/{car['Id']}", json={"Color": "Pink"}).status_code == 403
    assert ops.patch(f"/cars/{car['Id']}", json={"Color": "Pink"}).status_code == 202


def test_delete_answers_204_without_a_body_and_the_car_is_gone(owner, car):
    response = owner.delete(f"/cars/{car['Id']}")
    assert response.status_code == 204 and response.content == b""
    missing = owner.get(f"/cars/{car['Id']}")
    assert missing.status_code == 404 and "Car" not in missing.json()


def test_a_license_plate_is_unique(owner, car):
    response = owner.post("/cars", json={"Make": "Kia", "Model": "Niro", "Year": 2022, "LicensePlate": "tst 001"})
    assert response.status_code == 409 and response.json()["ResponseStatus"]["ErrorCode"] == "Conflict"


def test_lock_and_unlock_are_puts_answered_202(owner, borrower, car):
    unlocked = owner.put(f"/cars/{car['Id']}/unlock")
    assert unlocked.status_code == 202 and unlocked.json()["Car"]["IsLocked"] is False
    assert owner.put(f"/cars/{car['Id']}/lock").json()["Car"]["IsLocked"] is True
    assert borrower.put(f"/cars/{car['Id']}/unlock").status_code == 403


def test_a_single_car_embeds_rating_and_verifications_unless_embed_none(owner, car):
    full = owner.get(f"/cars/{car['Id']}").json()["Car"]
    assert full["Rating"] == {"Average": 0.0, "Count": 0} and full["Verifications"] == []
    bare = owner.get(f"/cars/{car['Id']}", params={"embed": "none"}).json()["Car"]
    assert "Rating" not in bare and "Verifications" not in bare
    rating_only = owner.get(f"/cars/{car['Id']}", params={"Embed": "Car.Rating"}).json()["Car"]
    assert "Rating" in rating_only and "Verifications" not in rating_only


def test_a_search_embeds_nothing_unless_asked(owner):
    plain = owner.get("/cars").json()["Cars"]
    assert plain and all("Rating" not in c and "Verifications" not in c for c in plain)
    for embed in ("all", "*", "Rating, Car.Verifications"):
        embedded = owner.get("/cars", params={"embed": embed}).json()["Cars"]
        assert all("Rating" in c and "Verifications" in c for c in embedded), embed
    assert owner.get("/cars", params={"embed": "Owner"}).status_code == 400


def test_seeded_cars_have_verified_dates_only_when_verified(ops):
    for car in ops.get("/cars", params={"embed": "all"}).json()["Cars"]:
        for verification in car["Verifications"]:
            assert ("VerifiedDateUtc" in verification) == (verification["Status"] == "Verified")
