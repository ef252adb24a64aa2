"""The control plane's quotas, events, webhooks and delivery log, and how a quota shows in a vendor API."""

from __future__ import annotations


def test_a_quota_set_through_the_control_plane_gives_429_with_retry_after(sandbox):
    path = f"/sandboxes/{sandbox.id}/rate-limits"
    assert sandbox.control.get(path).json()["trimble"] is None
    set_ = sandbox.control.put(path, json={"trimble": {"limit": 2, "windowSeconds": 60}})
    assert set_.json()["trimble"] == {"limit": 2, "windowSeconds": 60}
    client = sandbox.trimble("direct")
    assert [client.get("/vehicles").status_code for _ in range(3)] == [200, 200, 429]
    refused = client.get("/vehicles")
    assert refused.headers["retry-after"] == "60" or 0 < int(refused.headers["retry-after"]) <= 60
    sandbox.control.post(f"/sandboxes/{sandbox.id}/clock/advance", json={"seconds": 61})
    assert client.get("/vehicles").status_code == 200
    sandbox.control.put(path, json={"trimble": None})
    assert all(client.get("/vehicles").status_code == 200 for _ in range(5))


def test_quotas_count_per_client(sandbox):
    sandbox.control.put(f"/sandboxes/{sandbox.id}/rate-limits", json={"trimble": {"limit": 1, "windowSeconds": 60}})
    direct, partner = sandbox.trimble("direct"), sandbox.trimble("partner")
    assert direct.get("/vehicles").status_code == 200 and partner.get("/vehicles").status_code == 200
    assert direct.get("/vehicles").status_code == 429


def test_webhooks_are_registered_listed_and_removed(sandbox):
    created = sandbox.control.post(f"/sandboxes/{sandbox.id}/webhooks", json={"audience": "fleet-a", "url": "http://127.0.0.1:9/hook", "events": ["VehicleChanged"]})
    assert created.status_code == 201
    webhook = created.json()
    assert created.headers["location"].endswith(f"/webhooks/{webhook['id']}")
    assert sandbox.control.get(f"/sandboxes/{sandbox.id}/webhooks").json()["webhooks"] == [webhook]
    assert sandbox.control.delete(f"/sandboxes/{sandbox.id}/webhooks/{webhook['id']}").status_code == 204
    assert sandbox.control.delete(f"/sandboxes/{sandbox.id}/webhooks/{webhook['id']}").status_code == 404
    assert sandbox.control.get(f"/sandboxes/{sandbox.id}/deliveries").json() == {"deliveries": []}
    assert sandbox.control.get(f"/sandboxes/{sandbox.id}/events").json() == {"events": []}


def test_webhooks_to_other_hosts_are_refused(sandbox):
    response = sandbox.control.post(f"/sandboxes/{sandbox.id}/webhooks", json={"audience": "a", "url": "http://10.1.2.3/hook"})
    assert response.status_code == 422
    assert "loopback" in response.json()["detail"]


def test_quotas_and_webhooks_travel_with_the_state(sandbox):
    sandbox.control.put(f"/sandboxes/{sandbox.id}/rate-limits", json={"trimble": {"limit": 5, "windowSeconds": 10}})
    sandbox.control.post(f"/sandboxes/{sandbox.id}/webhooks", json={"audience": "a", "url": "http://127.0.0.1:9/hook"})
    saved = sandbox.control.get(f"/sandboxes/{sandbox.id}/state").json()
    sandbox.control.post(f"/sandboxes/{sandbox.id}/reset")
    assert sandbox.control.get(f"/sandboxes/{sandbox.id}/webhooks").json() == {"webhooks": []}
    assert sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=saved).status_code == 200
    assert sandbox.control.get(f"/sandboxes/{sandbox.id}/state").json() == saved
