"""A live fleetbox server publishing invers events to a broker, as `fleetbox serve --amqp` does, and a
plain AMQP client's view of what the broker holds."""

from __future__ import annotations

import json
import time

import pika

from mockserver.http.context import REGISTRY_KEY
from mockserver.invers import amqp

from ..support import LiveServer


def amqp_server(url: str, admin_url: str | None = None, buffer: int | None = None) -> LiveServer:
    """A live server whose invers events go to the broker at `url` (with `--amqp-admin` when given)."""
    live = LiveServer()
    live.bridge = amqp.enable(live.app.app.extensions[REGISTRY_KEY], url, admin_url, buffer)
    return live.start()


def stop(live: LiveServer) -> None:
    live.stop()
    live.bridge.publisher.close()


def read_queue(consumer: dict, topic: str) -> list[tuple[pika.BasicProperties, dict]]:
    """Every message in the consumer's queue of `topic`, taken (and acknowledged) with basic.get."""
    connection = pika.BlockingConnection(pika.URLParameters(consumer["url"]))
    try:
        channel = connection.channel()
        messages = []
        while True:
            method, properties, body = channel.basic_get(consumer["queues"][topic], auto_ack=True)
            if method is None:
                return messages
            messages.append((properties, json.loads(body)))
    finally:
        connection.close()


def wait_until_delivered(control, sandbox_id: str, timeout: float = 30.0) -> dict:
    """The sandbox's AMQP status once nothing is pending (fails after `timeout`)."""
    deadline = time.monotonic() + timeout
    while True:
        status = control.get(f"/sandboxes/{sandbox_id}/amqp").json()
        if status["pending"] == 0:
            return status
        assert time.monotonic() < deadline, f"still pending after {timeout} s: {status}"
        time.sleep(0.05)
