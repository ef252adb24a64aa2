"""The trimble world in the state: ids continue after an import. (Round trips and refused worlds, in every
profile: tests/every_profile/test_state.py.)"""

from __future__ import annotations


def export(sandbox) -> dict:
    response = sandbox.control.get(f"/sandboxes/{sandbox.id}/state")
    assert response.status_code == 200
    return response.json()


def test_new_ids_continue_after_an_import(sandbox):
    saved = export(sandbox)
    sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=saved)
    known = {v["Id"] for fleet in saved["profiles"]["trimble"]["fleets"] for v in fleet["vehicles"]}
    created = sandbox.trimble("direct").post("/vehicles", json=[{"vehicleId": "new", "Name": "new"}]).json()["data"][0]
    assert created["Id"] not in known and created["Id"] > max(known)
