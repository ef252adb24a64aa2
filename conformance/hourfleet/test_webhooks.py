"""Webhooks: subscriptions, and deliveries as JSON POSTs with X-Webhook-Delivery and X-Webhook-Event
(vendor page "Webhooks")."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from .. import expect
from ..rules import rule

AREA = "Webhooks"
WAIT_SECONDS = 10


class Receiver:
    """A loopback HTTP server collecting what is POSTed to it."""

    def __init__(self) -> None:
        self.received: list[tuple[dict, bytes]] = []
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                received.append((dict(self.headers), self.rfile.read(int(self.headers.get("content-length", 0)))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/fleetbox-hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(hourfleet_target):
    if urlsplit(hourfleet_target.base_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        pytest.skip("not checked: deliveries need a receiver the server can reach (the server is not on this machine)")
    server = Receiver()
    yield server
    server.close()


@rule("HOURFLEET-HOOK-01", "POST /webhooks/subscriptions answers 201 with the subscription; it is listed, and DELETE removes it", AREA)
def test_subscriptions(app, run_id):
    response = app.subscribe("http://127.0.0.1:9/fleetbox-hook", ["carbooking_approve"])
    expect.status(response, 201)
    subscription = expect.json_of(response)["WebhookSubscription"]
    listed = expect.json_of(app.http.get("/webhooks/subscriptions"))["WebhookSubscriptions"]
    expect.true(subscription["Id"] in [s["Id"] for s in listed], "the subscription listed")
    expect.status(app.http.delete(f"/webhooks/subscriptions/{subscription['Id']}"), 204)
    listed = expect.json_of(app.http.get("/webhooks/subscriptions"))["WebhookSubscriptions"]
    expect.true(subscription["Id"] not in [s["Id"] for s in listed], "the subscription gone")


@rule("HOURFLEET-HOOK-02", "an approved booking is delivered as a JSON POST with X-Webhook-Delivery and X-Webhook-Event carbooking_approve", AREA)
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
