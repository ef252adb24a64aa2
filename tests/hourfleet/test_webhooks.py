"""Webhooks: subscriptions through the API, deliveries of booking and account events to a loopback
receiver with X-Webhook-Delivery and X-Webhook-Event, retries, and the control plane's delivery log."""

from __future__ import annotations

import json

import httpx
import pytest

from conformance.receiver import WebhookReceiver
from mockserver.settings import Settings

from ..support import LiveServer, SandboxHandle, free_port, wait_for
from .steps import soon


@pytest.fixture(scope="module")
def quick_retries():
    """A server of its own whose failed deliveries are retried after 50 and 100 ms."""
    live = LiveServer(Settings(port=free_port(), webhook_retry_delays=(0.05, 0.1))).start()
    yield live
    live.stop()


@pytest.fixture
def hooked(quick_retries):
    response = httpx.post(f"{quick_retries.url}/__sandbox/sandboxes", json={"seed": 3, "size": 10})
    handle = SandboxHandle(quick_retries.url, response.json())
    yield handle
    httpx.delete(f"{quick_retries.url}/__sandbox/sandboxes/{handle.id}")


@pytest.fixture
def receiver():
    server = WebhookReceiver()
    yield server
    server.close()


def subscribe(client, url: str, events: list[str]) -> dict:
    response = client.post("/webhooks/subscriptions", json={"Name": "test hook", "Url": url, "Events": events})
    assert response.status_code == 201, response.text
    return response.json()["WebhookSubscription"]


def test_subscriptions_are_created_listed_read_and_deleted(sandbox):
    ops = sandbox.hourfleet("ops")
    created = ops.post(
        "/webhooks/subscriptions",
        json={"name": "mine", "url": "http://127.0.0.1:9/hook", "events": ["carbooking_approve"]},
    )
    assert created.status_code == 201
    subscription = created.json()["WebhookSubscription"]
    assert created.headers["location"].endswith(f"/webhooks/subscriptions/{subscription['Id']}")
    assert [s["Id"] for s in ops.get("/webhooks/subscriptions").json()["WebhookSubscriptions"]] == [subscription["Id"]]
    assert ops.get(f"/webhooks/subscriptions/{subscription['Id']}").json()["WebhookSubscription"]["Events"] == [
        "carbooking_approve"
    ]
    assert ops.delete(f"/webhooks/subscriptions/{subscription['Id']}").status_code == 204
    assert ops.get(f"/webhooks/subscriptions/{subscription['Id']}").status_code == 404
    hooks = sandbox.control.get(f"/sandboxes/{sandbox.id}/webhooks").json()["webhooks"]
    assert hooks == []


def test_unknown_events_and_foreign_hosts_are_refused(sandbox):
    ops = sandbox.hourfleet("ops")
    unknown = ops.post(
        "/webhooks/subscriptions", json={"Name": "x", "Url": "http://127.0.0.1:9/h", "Events": ["car_crash"]}
    )
    assert unknown.status_code == 400
    foreign = ops.post(
        "/webhooks/subscriptions", json={"Name": "x", "Url": "http://10.1.2.3/h", "Events": ["carbooking_use"]}
    )
    assert foreign.status_code == 400 and "loopback" in foreign.json()["ResponseStatus"]["Message"]


def test_booking_events_are_delivered_with_the_vendors_headers(hooked, receiver):
    ops, owner, borrower = hooked.hourfleet("ops"), hooked.hourfleet("user", 0), hooked.hourfleet("user", 1)
    subscription = subscribe(ops, receiver.url, ["carbooking_approve", "carbooking_use", "carbooking_cancel"])
    car = owner.post("/cars", json={"Make": "Kia", "Model": "Niro", "Year": 2022, "LicensePlate": "HOOK-1"}).json()[
        "Car"
    ]
    booking = borrower.post(
        f"/cars/{car['Id']}/bookings", json={"StartDateUtc": soon(5), "EndDateUtc": soon(65)}
    ).json()["CarBooking"]
    owner.put(f"/cars/{car['Id']}/bookings/{booking['Id']}/approve")
    borrower.put(f"/cars/{car['Id']}/bookings/{booking['Id']}/use")
    wait_for(lambda: len(receiver.received) == 2)
    (headers, body), (use_headers, _) = receiver.received
    assert headers["X-Webhook-Event"] == "carbooking_approve" and use_headers["X-Webhook-Event"] == "carbooking_use"
    assert headers["Content-Type"] == "application/json" and headers["X-Webhook-Delivery"]
    payload = json.loads(body)
    assert payload == {
        "Name": "carbooking_approve",
        "Id": booking["Id"],
        "Reference": booking["Reference"],
        "CarId": car["Id"],
        "StartDateUtc": booking["StartDateUtc"],
        "EndDateUtc": booking["EndDateUtc"],
    }
    log = hooked.control.get(f"/sandboxes/{hooked.id}/deliveries", params={"subscription": subscription["Id"]}).json()[
        "deliveries"
    ]
    assert {d["id"] for d in log} == {h["X-Webhook-Delivery"] for h, _ in receiver.received}


def test_a_failed_delivery_is_retried_and_logged(hooked):
    receiver = WebhookReceiver(failures=1)
    try:
        app = hooked.hourfleet("clientapplication")
        subscribe(app, receiver.url, ["useraccount_create"])
        created = app.post(
            "/useraccounts",
            json={"Username": "hook@example.com", "Password": "password1", "FirstName": "H", "LastName": "K"},
        )
        wait_for(lambda: len(receiver.received) == 2)
        assert json.loads(receiver.received[1][1]) == {
            "Name": "useraccount_create",
            "Id": created.json()["UserAccount"]["Id"],
            "Username": "hook@example.com",
        }
        wait_for(
            lambda: (
                hooked.control.get(f"/sandboxes/{hooked.id}/deliveries").json()["deliveries"][0]["state"] == "delivered"
            )
        )
        attempts = hooked.control.get(f"/sandboxes/{hooked.id}/deliveries").json()["deliveries"][0]["attempts"]
        assert [a["status"] for a in attempts] == [500, 204]
    finally:
        receiver.close()


def test_events_show_in_the_control_plane_for_the_car_share(sandbox, owner_and_booking=None):
    ops = sandbox.hourfleet("ops")
    ops.post(
        "/useraccounts",
        json={"Username": "event@example.com", "Password": "password1", "FirstName": "E", "LastName": "V"},
    )
    events = sandbox.control.get(f"/sandboxes/{sandbox.id}/events", params={"type": "useraccount_create"}).json()[
        "events"
    ]
    assert len(events) == 1 and events[0]["profile"] == "hourfleet" and events[0]["requestId"]
