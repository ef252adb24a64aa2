"""The hourfleet world exports and imports exactly; an inconsistent one is refused whole."""

from __future__ import annotations

import copy


def export(sandbox) -> dict:
    return sandbox.control.get(f"/sandboxes/{sandbox.id}/state").json()


def test_import_restores_exactly_what_was_exported(sandbox, owner):
    owner.post("/cars", json={"Make": "Kia", "Model": "Niro", "Year": 2022, "LicensePlate": "KEEP-1"})
    saved = export(sandbox)
    owner.post("/cars", json={"Make": "Kia", "Model": "Niro", "Year": 2022, "LicensePlate": "LATER-1"})
    restored = sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=saved)
    assert restored.status_code == 200
    assert restored.json()["credentials"]["hourfleet"] == sandbox.data["credentials"]["hourfleet"]
    assert export(sandbox) == saved
    plates = {c["LicensePlate"] for c in sandbox.hourfleet("ops").get("/cars").json()["Cars"]}
    assert "KEEP-1" in plates and "LATER-1" not in plates


def test_inconsistent_states_are_422_and_change_nothing(sandbox):
    saved = export(sandbox)
    world = saved["profiles"]["hourfleet"]
    for mutate in (
        lambda w: w["cars"].append(dict(w["cars"][0])),
        lambda w: w["cars"][0].update(OwnerId="00000000-0000-4000-8000-000000000000"),
        lambda w: w["bookings"].append(dict(w["bookings"][0], Id="00000000-0000-4000-8000-000000000001", Reference="ZZZZ0000")) or w["bookings"][-1].update(State="Approved") or w["bookings"][0].update(State="Approved"),
        lambda w: w["users"].append(dict(w["users"][0], Id="00000000-0000-4000-8000-000000000002")),
    ):
        broken = copy.deepcopy(saved)
        mutate(broken["profiles"]["hourfleet"])
        assert sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=broken).status_code == 422
    assert export(sandbox) == saved
    assert world["carShare"]["Tenant"]


def test_a_date_with_an_offset_is_400(sandbox):
    broken = export(sandbox)
    broken["profiles"]["hourfleet"]["cars"][0]["CreatedDateUtc"] = "2026-01-01T00:00:00.000+01:00"
    assert sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=broken).status_code == 400
