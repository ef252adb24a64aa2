"""Export and import of a sandbox's whole state."""

from __future__ import annotations

import copy


def export(sandbox) -> dict:
    response = sandbox.control.get(f"/sandboxes/{sandbox.id}/state")
    assert response.status_code == 200
    return response.json()


def test_import_restores_exactly_what_was_exported(sandbox):
    client = sandbox.trimble("direct")
    client.post("/vehicles", json=[{"vehicleId": "keep", "Name": "kept"}])
    group = client.post("/vehiclegroups", json=[{"vehicleGroupName": "kept group"}]).json()["data"][0]["vehicleGroupId"]
    client.post(f"/vehiclegroups/{group}/vehicles", json=[{"vehicleId": "keep"}])
    sandbox.control.put(f"/sandboxes/{sandbox.id}/clock", json={"now": "2032-01-01T00:00:00Z", "frozen": True})
    saved = export(sandbox)

    fresh = sandbox.trimble("direct")
    fresh.post("/vehicles", json=[{"vehicleId": "later", "Name": "after the export"}])
    fresh.delete("/vehicles", params={"vehicleId": "keep"})
    assert export(sandbox) != saved

    restored = sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=saved)
    assert restored.status_code == 200
    assert restored.json()["credentials"] == sandbox.data["credentials"]
    assert export(sandbox) == saved
    assert fresh.get("/vehicles").status_code == 401
    listed = {v["vehicleId"]: v for v in sandbox.trimble("direct").get("/vehicles", params={"limit": 100}).json()["data"]}
    assert "later" not in listed and listed["keep"]["vehicleGroups"][0]["vehicleGroupId"] == group


def test_new_ids_continue_after_an_import(sandbox):
    saved = export(sandbox)
    sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=saved)
    known = {v["Id"] for fleet in saved["profiles"]["trimble"]["fleets"] for v in fleet["vehicles"]}
    created = sandbox.trimble("direct").post("/vehicles", json=[{"vehicleId": "new", "Name": "new"}]).json()["data"][0]
    assert created["Id"] not in known and created["Id"] > max(known)


def test_an_inconsistent_state_is_422_and_changes_nothing(sandbox):
    saved = export(sandbox)
    broken = copy.deepcopy(saved)
    fleet = broken["profiles"]["trimble"]["fleets"][0]
    fleet["vehicles"].append(dict(fleet["vehicles"][0], Id=fleet["vehicles"][0]["Id"] + 999_999))
    response = sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=broken)
    assert response.status_code == 422
    assert "already used" in response.json()["detail"]
    assert export(sandbox) == saved


def test_a_malformed_state_is_400(sandbox):
    saved = export(sandbox)
    for mutate in (
        lambda s: s.pop("clock"),
        lambda s: s.update(format="fleetbox.state/99"),
        lambda s: s["profiles"]["trimble"]["fleets"][0]["vehicles"][0].update(Name="bad/name"),
    ):
        broken = copy.deepcopy(saved)
        mutate(broken)
        assert sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=broken).status_code == 400


def test_a_dangling_assignment_or_customer_is_422(sandbox):
    saved = export(sandbox)
    dangling = copy.deepcopy(saved)
    dangling["profiles"]["trimble"]["fleets"][0]["assignments"].append({"vehicleGroupId": 1, "vehicleId": "ghost"})
    assert sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=dangling).status_code == 422
    orphan = copy.deepcopy(saved)
    orphan["profiles"]["trimble"]["accounts"].append({"AccountId": 1, "AccountName": "orphan", "type": "customer", "partnerAccountId": 2})
    assert sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=orphan).status_code == 422
