"""`fleetbox serve --amqp URL --amqp-admin URL` as a user runs it: the banner names each fleet's event
consumer, the default sandbox's consumers read their queues, and misused options are refused."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pika
import pytest

from ..support import free_port


def serve(*options: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "mockserver", "serve", "--size", "5", *options]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_the_banner_and_the_default_sandbox_name_the_consumers(rabbitmq):
    port = free_port()
    process = serve("--port", str(port), "--amqp", rabbitmq.url, "--amqp-admin", rabbitmq.admin_url)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/__sandbox/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, "the server did not start"
            time.sleep(0.2)
        clients = httpx.get(f"http://127.0.0.1:{port}/__sandbox/sandboxes/default").json()["credentials"]["invers"]
        consumer = clients[0]["event_consumer"]
        assert consumer["username"] == f"fleetbox.default.{clients[0]['fleet_id']}"
        connection = pika.BlockingConnection(pika.URLParameters(consumer["url"]))
        assert connection.channel().basic_get(consumer["queues"]["VehicleChanged"])[0] is None
        connection.close()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert f"events: {consumer['url']}" in output
    assert f"queues fleetbox.default.{clients[0]['fleet_id']}.<topic>" in output
    assert "invers events over AMQP: amqp://guest:***@127.0.0.1" in output and "a user per fleet" in output


@pytest.mark.parametrize(
    "options,complaint",
    [
        (("--amqp-admin", "http://127.0.0.1:1"), "only make sense with --amqp"),
        (("--amqp", "http://127.0.0.1:1"), "must be an amqp:// or amqps:// URL"),
        (("--amqp", "amqp://127.0.0.1:1", "--amqp-admin", "ftp://x"), "management API's http(s) URL"),
    ],
)
def test_misused_options_are_refused(options, complaint):
    process = serve("--port", str(free_port()), *options)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 2 and complaint in output
