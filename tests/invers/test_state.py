"""Export and import of the invers world: sharings travel with it, inconsistent documents are 422."""

from __future__ import annotations

import copy

import pytest

from .steps import idle_car, in_future, share


def export(sandbox) -> dict:
    response = sandbox.control.get(f"/sandboxes/{sandbox.id}/state")
    assert response.status_code == 200
    return response.json()


def test_import_restores_vehicles_sharings_and_credentials(sandbox, owner, fleet_ids):
    car = idle_car(owner, fleet_ids[0])
    share(owner, car["id"], fleet_ids[2], ends_at=in_future(sandbox, 3600))
    owner.patch(f"/vehicles/{car['id']}", json={"master_data": {"custom_name": "kept"}})
    saved = export(sandbox)
    owner.delete(f"/vehicles/{car['id']}/sharing")
    assert sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=saved).status_code == 200
    assert export(sandbox) == saved
    partner = sandbox.invers(2)
    restored = partner.get(f"/vehicles/{car['id']}").json()
    assert restored["sharing"]["status"] == "SHARED_PARTNER_VEHICLE" and restored["master_data"]["custom_name"] == "kept"
    assert sandbox.control.get(f"/sandboxes/{sandbox.id}").json()["credentials"]["invers"] == sandbox.data["credentials"]["invers"]


def break_sharing_with_a_non_partner(state: dict) -> None:
    vehicle = state["vehicles"][0]
    loner = state["fleets"][3]["fleet_id"]
    vehicle["sharing"] = {"partner_fleet_id": loner, "starts_at": "2025-01-01T00:00:00.000Z", "ends_at": None}


@pytest.mark.parametrize(
    "corrupt,words",
    [
        (lambda s: s["vehicles"].append(copy.deepcopy(s["vehicles"][0])), "appears twice"),
        (lambda s: s["vehicles"][0].update(fleet_id="NOSUCH"), "lacks"),
        (lambda s: s["partnerships"].append({"fleet_ids": [s["fleets"][0]["fleet_id"]] * 2}), "two different fleets"),
        (break_sharing_with_a_non_partner, "not a partner"),
        (lambda s: s["fleets"].append(dict(s["fleets"][0])), "appears twice"),
    ],
)
def test_an_inconsistent_world_is_422_and_changes_nothing(sandbox, corrupt, words):
    saved = export(sandbox)
    broken = copy.deepcopy(saved)
    corrupt(broken["profiles"]["invers"])
    response = sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=broken)
    assert response.status_code == 422 and words in response.json()["detail"]
    assert export(sandbox) == saved


def test_a_malformed_world_is_400(sandbox):
    broken = export(sandbox)
    broken["profiles"]["invers"]["vehicles"][0]["capabilities"]["commands"].append("SELF_DESTRUCT")
    assert sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=broken).status_code == 400
