"""GET /vehicles (cursor paging, search), GET /vehicles/{id}, PATCH of master data."""

from __future__ import annotations

from .steps import all_vehicles, idle_car, share

SIZE = 12  # the `sandbox` fixture's size: vehicles per fleet


def test_the_list_holds_the_fleets_own_vehicles_and_those_shared_with_it(owner, partner, fleet_ids):
    own = all_vehicles(owner)
    assert {v["fleet_id"] for v in own} == {fleet_ids[0]} and len(own) == SIZE
    received = all_vehicles(partner)
    # Generated worlds start with one of fleet 0's vehicles shared with fleet 1.
    shared_in = [v for v in received if v["fleet_id"] == fleet_ids[0]]
    assert len(received) == SIZE + 1 and len(shared_in) == 1
    assert shared_in[0]["sharing"]["status"] == "SHARED_PARTNER_VEHICLE"


def test_pages_follow_the_cursor_and_visit_every_vehicle_once_in_id_order(owner):
    pages, token = [], None
    while True:
        response = owner.get("/vehicles", params={"limit": 5, **({"page_token": token} if token else {})})
        body = response.json()
        pages.append([v["id"] for v in body["items"]])
        token = body.get("next_page_token")
        if not token:
            break
    assert [len(page) for page in pages] == [5, 5, 2]
    ids = [vehicle_id for page in pages for vehicle_id in page]
    assert ids == sorted(ids) and len(set(ids)) == SIZE
    assert body["next_page_token"] is None


def test_the_default_page_holds_20_vehicles(partner):
    assert len(partner.get("/vehicles").json()["items"]) == 13


def test_q_searches_ids_plates_vins_and_names_ignoring_case(owner):
    vehicle = all_vehicles(owner)[3]
    plate = vehicle["master_data"]["license_plate"]
    found = owner.get("/vehicles", params={"q": plate.lower(), "limit": 1}).json()["items"]
    assert found[0]["id"] == vehicle["id"]
    assert [v["id"] for v in owner.get("/vehicles", params={"q": vehicle["id"]}).json()["items"]] == [vehicle["id"]]
    assert owner.get("/vehicles", params={"q": "no such text"}).json() == {"items": [], "next_page_token": None}


def test_one_vehicle_reads_as_in_the_list(owner):
    vehicle = all_vehicles(owner)[0]
    assert owner.get(f"/vehicles/{vehicle['id']}").json() == vehicle


def test_another_fleets_vehicle_is_not_found(owner, loner, fleet_ids):
    theirs = all_vehicles(loner)[0]
    response = owner.get(f"/vehicles/{theirs['id']}")
    assert response.status_code == 404 and response.json()["type"] == "/problems/resource-not-found"
    assert owner.patch(f"/vehicles/{theirs['id']}", json={"master_data": {"custom_name": "mine"}}).status_code == 404


def test_state_properties_follow_the_state_capabilities(owner, partner):
    for vehicle in all_vehicles(owner) + all_vehicles(partner):
        expected = {capability.lower() for capability in vehicle["capabilities"]["vehicle_state"]}
        assert set(vehicle["state"]) == expected, vehicle["id"]
        if vehicle["state"]["ignition"]["value"] == "ON":
            assert vehicle["state"]["driving_enabled"]["value"] is True


def test_a_master_data_change_is_applied_kept_and_moves_modified_at(owner, fleet_ids):
    car = idle_car(owner, fleet_ids[0])
    change = {
        "license_plate": "B-FB 2024",
        "custom_name": "Blue one",
        "vin": "WVWZZZ1JZXW000001",
        "custom_fields": {"depot": "north"},
    }
    response = owner.patch(f"/vehicles/{car['id']}", json={"master_data": change})
    assert response.status_code == 200
    changed = response.json()
    assert {key: changed["master_data"][key] for key in ("license_plate", "custom_name", "vin")} == {
        k: change[k] for k in ("license_plate", "custom_name", "vin")
    }
    assert changed["master_data"]["custom_fields"] == {**car["master_data"]["custom_fields"], "depot": "north"}
    assert changed["modified_at"] > car["modified_at"]
    assert changed["master_data"]["brand"] == car["master_data"]["brand"]
    assert owner.get(f"/vehicles/{car['id']}").json() == changed


def test_null_clears_a_field_and_removes_a_custom_field(owner, fleet_ids):
    car = idle_car(owner, fleet_ids[0])
    owner.patch(
        f"/vehicles/{car['id']}", json={"master_data": {"custom_name": "temp", "custom_fields": {"a": "1", "b": "2"}}}
    )
    response = owner.patch(
        f"/vehicles/{car['id']}", json={"master_data": {"custom_name": None, "custom_fields": {"a": None}}}
    )
    data = response.json()["master_data"]
    assert data["custom_name"] is None and "a" not in data["custom_fields"] and data["custom_fields"]["b"] == "2"


def test_a_change_that_changes_nothing_keeps_modified_at(owner, fleet_ids):
    car = idle_car(owner, fleet_ids[0])
    same = {"brand": car["master_data"]["brand"]}
    assert owner.patch(f"/vehicles/{car['id']}", json={"master_data": same}).json() == car
    assert owner.patch(f"/vehicles/{car['id']}", json={}).json() == car


def test_the_owner_still_edits_a_shared_vehicle(owner, partner, fleet_ids):
    car = idle_car(owner, fleet_ids[0])
    share(owner, car["id"], fleet_ids[1])
    response = owner.patch(f"/vehicles/{car['id']}", json={"master_data": {"custom_name": "lent out"}})
    assert response.status_code == 200
    assert partner.get(f"/vehicles/{car['id']}").json()["master_data"]["custom_name"] == "lent out"
