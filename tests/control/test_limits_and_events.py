"""The control plane's events, webhooks and delivery log, and quotas in its state. (How a quota shows in each
vendor API: tests/every_profile/test_limits.py.)"""

from __future__ import annotations


def test_webhooks_are_registered_listed_and_removed(sandbox):
    created = sandbox.control.post(
        f"/sandboxes/{sandbox.id}/webhooks",
        json={"audience": "fleet-a", "url": "http://127.0.0.1:9/hook", "events": ["VehicleChanged"]},
    )
    assert created.status_code == 201
    webhook = created.json()
    assert created.headers["location"].endswith(f"/webhooks/{webhook['id']}")
    assert sandbox.control.get(f"/sandboxes/{sandbox.id}/webhooks").json()["webhooks"] == [webhook]
    assert sandbox.control.delete(f"/sandboxes/{sandbox.id}/webhooks/{webhook['id']}").status_code == 204
    assert sandbox.control.delete(f"/sandboxes/{sandbox.id}/webhooks/{webhook['id']}").status_code == 404
    assert sandbox.control.get(f"/sandboxes/{sandbox.id}/deliveries").json() == {"deliveries": []}
    assert sandbox.control.get(f"/sandboxes/{sandbox.id}/events").json() == {"events": []}


def test_webhooks_to_other_hosts_are_refused(sandbox):
    response = sandbox.control.post(
        f"/sandboxes/{sandbox.id}/webhooks", json={"audience": "a", "url": "http://10.1.2.3/hook"}
    )
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
