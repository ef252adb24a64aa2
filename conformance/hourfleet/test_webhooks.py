"""Webhooks: subscriptions, and deliveries as JSON POSTs with X-Webhook-Delivery and X-Webhook-Event
(vendor page "Webhooks")."""

from __future__ import annotations

import json
import time

import pytest

from .. import expect
from ..receiver import WebhookReceiver, reaches_this_machine
from ..rules import rule

AREA = "Webhooks"
WAIT_SECONDS = 10


@pytest.fixture
def receiver(target):
    if not reaches_this_machine(target.base_url):
        pytest.skip("not checked: deliveries need a receiver the server can reach (the server is not on this machine)")
    server = WebhookReceiver()
    yield server
    server.close()


@rule(
    "HOURFLEET-HOOK-01",
    "POST /webhooks/subscriptions answers 201 with the subscription; it is listed, and DELETE removes it",
    AREA,
    writes="its webhooks (added, deleted)",
)
def test_subscriptions(app, run_id):
    response = app.subscribe("http://127.0.0.1:9/fleetbox-hook", ["carbooking_approve"])
    expect.status(response, 201)
    subscription = expect.json_of(response)["WebhookSubscription"]
    listed = expect.json_of(app.http.get("/webhooks/subscriptions"))["WebhookSubscriptions"]
    expect.true(subscription["Id"] in [s["Id"] for s in listed], "the subscription listed")
    expect.status(app.http.delete(f"/webhooks/subscriptions/{subscription['Id']}"), 204)
    listed = expect.json_of(app.http.get("/webhooks/subscriptions"))["WebhookSubscriptions"]
    expect.true(subscription["Id"] not in [s["Id"] for s in listed], "the subscription gone")


@rule(
    "HOURFLEET-HOOK-02",
    "an approved booking is delivered as a JSON POST with X-Webhook-Delivery and X-Webhook-Event carbooking_approve",
    AREA,
    writes="its cars (created, deleted); bookings of them (made, moved on); its webhooks (added, deleted)",
)
def test_delivery(app, owner, booking, receiver):
    expect.status(app.subscribe(receiver.url, ["carbooking_approve"]), 201)
    expect.status(owner.act(booking, "approve"), 202)
    deadline = time.monotonic() + WAIT_SECONDS
    while not receiver.received and time.monotonic() < deadline:
        time.sleep(0.05)
    expect.true(bool(receiver.received), f"a delivery within {WAIT_SECONDS} s")
    headers, body = receiver.received[0]
    headers = {name.lower(): value for name, value in headers.items()}
    expect.equal(headers.get("x-webhook-event"), "carbooking_approve", "X-Webhook-Event")
    expect.true(bool(headers.get("x-webhook-delivery")), "an X-Webhook-Delivery id")
    expect.true(headers.get("content-type", "").startswith("application/json"), "a JSON body")
    expect.equal(json.loads(body).get("Id"), booking["Id"], "the booking's Id in the delivery")
