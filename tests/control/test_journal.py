"""The request journal: what a sandbox served, attributed by token or credentials."""

from __future__ import annotations


def entries(sandbox, **params) -> list[dict]:
    return sandbox.control.get(f"/sandboxes/{sandbox.id}/journal", params=params).json()["entries"]


def test_requests_are_recorded_with_bodies_and_masked_credentials(sandbox, trimble):
    trimble.post("/vehicles", json=[{"vehicleId": "j1", "Name": "journaled"}])
    trimble.get("/vehicles?limit=1")
    recorded = entries(sandbox)
    assert [(e["method"], e["path"]) for e in recorded] == [
        ("POST", "/trimble/api/assets/v1/accounts/authenticate"),
        ("POST", "/trimble/api/assets/v1/vehicles"),
        ("GET", "/trimble/api/assets/v1/vehicles"),
    ]
    authenticate, create, listing = recorded
    assert authenticate["status"] == 200 and '"apiKey"' in authenticate["requestBody"]
    assert create["requestHeaders"]["authorization"] == "***"
    assert '"j1"' in create["requestBody"] and '"VehicleId":"j1"' in create["responseBody"]
    assert listing["query"] == "limit=1" and listing["profile"] == "trimble"
    assert listing["responseHeaders"]["content-type"].startswith("application/json")
    assert [e["seq"] for e in recorded] == sorted(e["seq"] for e in recorded)


def test_refused_requests_with_a_known_token_are_recorded_too(sandbox, trimble):
    trimble.post("/vehicles", json=[])
    sandbox.control.post(f"/sandboxes/{sandbox.id}/clock/advance", json={"seconds": 7200})
    trimble.get("/vehicles")
    statuses = [e["status"] for e in entries(sandbox)]
    assert statuses[-2:] == [400, 401]


def test_requests_of_other_sandboxes_and_unknown_tokens_stay_out(sandbox, server):
    sandbox.anonymous_trimble().get("/vehicles", headers={"Authorization": "bearer nope"})
    assert entries(sandbox) == []


def test_filter_by_since_and_limit_then_clear(sandbox, trimble):
    for _ in range(3):
        trimble.get("/vehicles")
    everything = entries(sandbox)
    assert [e["seq"] for e in entries(sandbox, since=everything[1]["seq"])] == [e["seq"] for e in everything[2:]]
    assert entries(sandbox, limit=1) == everything[-1:]
    assert entries(sandbox, profile="invers") == []
    assert sandbox.control.delete(f"/sandboxes/{sandbox.id}/journal").status_code == 204
    assert entries(sandbox) == []
