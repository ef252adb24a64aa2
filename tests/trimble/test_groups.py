"""Vehicle groups: batch creation, the 2,000 limit, rename, delete, assignment."""

from __future__ import annotations

from mockserver.trimble.groups import MAX_GROUPS_PER_ACCOUNT


def group_named(client, name: str) -> dict | None:
    groups = client.get("/vehiclegroups", params={"limit": 1000}).json()["data"]
    return next((g for g in groups if g["vehicleGroupName"] == name), None)


def test_groups_are_created_camel_case_with_the_vendors_messages(trimble):
    response = trimble.post(
        "/vehiclegroups", json=[{"vehicleGroupName": "CherryHillVehicles"}, {"VehicleGroupName": "MerryHillVehicles"}]
    )
    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Successfully added all vehicle groups to the account."
    assert [set(g) for g in body["data"]] == [{"vehicleGroupId", "vehicleGroupName", "modifiedOn"}] * 2
    again = trimble.post(
        "/vehiclegroups", json=[{"vehicleGroupName": "cherryhillvehicles"}, {"vehicleGroupName": "New One"}]
    ).json()
    assert again["message"] == "The request finished without adding duplicate vehicle groups."
    assert [g["vehicleGroupName"] for g in again["data"]] == ["New One"]


def test_an_account_holds_at_most_two_thousand_groups(trimble):
    existing = trimble.get("/vehiclegroups").json()["size"]
    room = MAX_GROUPS_PER_ACCOUNT - existing
    for start in range(0, room, 50):
        batch = [{"vehicleGroupName": f"g{n}"} for n in range(start, min(start + 50, room))]
        assert trimble.post("/vehiclegroups", json=batch).status_code == 200
    assert trimble.get("/vehiclegroups").json()["size"] == MAX_GROUPS_PER_ACCOUNT
    refused = trimble.post("/vehiclegroups", json=[{"vehicleGroupName": "one too many"}])
    assert refused.status_code == 400
    assert "at most 2000 vehicle groups" in refused.json()["message"]


def test_rename_and_its_conflicts(trimble):
    created = trimble.post("/vehiclegroups", json=[{"vehicleGroupName": "a"}, {"vehicleGroupName": "b"}]).json()["data"]
    first, second = created[0]["vehicleGroupId"], created[1]["vehicleGroupId"]
    renamed = trimble.put(f"/vehiclegroups/{first}", json={"vehicleGroupName": "a2"})
    assert renamed.json() == {"message": "Successfully updated vehicle group.", "data": True}
    assert group_named(trimble, "a2")["modifiedOn"] > created[0]["modifiedOn"]
    assert trimble.put(f"/vehiclegroups/{second}", json={"vehicleGroupName": "A2"}).status_code == 409
    assert trimble.put("/vehiclegroups/1", json={"vehicleGroupName": "z"}).status_code == 404


def test_assign_list_and_unassign(trimble):
    group = trimble.post("/vehiclegroups", json=[{"vehicleGroupName": "fresh"}]).json()["data"][0]["vehicleGroupId"]
    trimble.post("/vehicles", json=[{"vehicleId": "g1", "Name": "g one"}, {"vehicleId": "g2", "Name": "g two"}])
    assigned = trimble.post(
        f"/vehiclegroups/{group}/vehicles", json=[{"vehicleId": "g1"}, {"VehicleID": "g2"}, {"vehicleId": "nope"}]
    ).json()
    assert assigned["error"] == {
        "message": "The request finished without assigning non-existent vehicleIds",
        "code": -11,
        "ids_not_found": ["nope"],
    }
    assert {v["vehicleId"] for v in assigned["data"]} == {"g1", "g2"}
    members = trimble.get(f"/vehiclegroups/{group}/vehicles").json()
    assert members["size"] == 2
    listed = {v["vehicleId"]: v for v in trimble.get("/vehicles", params={"limit": 100}).json()["data"]}
    assert {"vehicleGroupId": group, "vehicleGroupName": "fresh"} in listed["g1"]["vehicleGroups"]
    out = trimble.delete(f"/vehiclegroups/{group}/vehicles", params={"vehicleId": "g1"})
    assert out.json() == {"message": f"Successfully unassigned vehicle with Id: g1 from vehicle group with Id: {group}"}
    assert trimble.delete(f"/vehiclegroups/{group}/vehicles", params={"vehicleId": "g1"}).status_code == 404
    assert [v["vehicleId"] for v in trimble.get(f"/vehiclegroups/{group}/vehicles").json()["data"]] == ["g2"]


def test_deleting_a_vehicle_or_a_group_keeps_the_other_side_consistent(trimble):
    group = trimble.post("/vehiclegroups", json=[{"vehicleGroupName": "temp"}]).json()["data"][0]["vehicleGroupId"]
    trimble.post("/vehicles", json=[{"vehicleId": "t1", "Name": "t one"}, {"vehicleId": "t2", "Name": "t two"}])
    trimble.post(f"/vehiclegroups/{group}/vehicles", json=[{"vehicleId": "t1"}, {"vehicleId": "t2"}])
    trimble.delete("/vehicles", params={"vehicleId": "t1"})
    assert [v["vehicleId"] for v in trimble.get(f"/vehiclegroups/{group}/vehicles").json()["data"]] == ["t2"]
    assert trimble.delete(f"/vehiclegroups/{group}").json() == {
        "message": f"Successfully deleted vehicle group with Id: {group}"
    }
    listed = {v["vehicleId"]: v for v in trimble.get("/vehicles", params={"limit": 100}).json()["data"]}
    assert "vehicleGroups" not in listed["t2"]
    assert trimble.get(f"/vehiclegroups/{group}/vehicles").status_code == 404
    assert trimble.delete(f"/vehiclegroups/{group}").status_code == 404


def test_groups_belong_to_one_account(sandbox):
    direct, partner = sandbox.trimble("direct"), sandbox.trimble("partner")
    group = direct.post("/vehiclegroups", json=[{"vehicleGroupName": "private"}]).json()["data"][0]["vehicleGroupId"]
    assert partner.get(f"/vehiclegroups/{group}/vehicles").status_code == 404
    assert (
        partner.post("/vehiclegroups", json=[{"vehicleGroupName": "private"}])
        .json()["message"]
        .startswith("Successfully")
    )
