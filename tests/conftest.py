"""Shared fixtures: one live server per test session, a fresh sandbox per test."""

from __future__ import annotations

import os
import uuid

import httpx
import pytest

from conformance.receiver import WebhookReceiver

from .support import LiveServer, SandboxHandle

# `fleetbox serve` started by a test keeps nothing unless the test names a store (tests/store does): the
# default SQLite file in the home directory is the user's, and parallel tests would share it.
os.environ["FLEETBOX_STORE"] = "memory"


@pytest.fixture(scope="session")
def server():
    live = LiveServer().start()
    yield live
    live.stop()


@pytest.fixture
def sandbox(server):
    """A sandbox of its own for one test (seed 7, size 12), deleted afterwards."""
    sandbox_id = f"t-{uuid.uuid4().hex[:12]}"
    response = httpx.post(f"{server.url}/__sandbox/sandboxes", json={"id": sandbox_id, "seed": 7, "size": 12})
    assert response.status_code == 201, response.text
    yield SandboxHandle(server.url, response.json())
    httpx.delete(f"{server.url}/__sandbox/sandboxes/{sandbox_id}")


@pytest.fixture
def trimble(sandbox):
    """A trimble client authenticated as the sandbox's direct account."""
    client = sandbox.trimble("direct")
    yield client
    client.close()


@pytest.fixture
def receiver():
    """A factory of loopback webhook receivers (each failing its first `failures` deliveries), closed after."""
    made = []

    def make(failures: int = 0) -> WebhookReceiver:
        made.append(WebhookReceiver(failures=failures))
        return made[-1]

    yield make
    for made_receiver in made:
        made_receiver.close()


@pytest.fixture(scope="session")
def rabbitmq():
    """A real RabbitMQ node for the session (tests/amqp/broker.py): free loopback ports, stopped by PID."""
    from .amqp.broker import RabbitBroker, available

    if not available():
        pytest.fail("rabbitmq-server is not installed: run .ci/ensure-debian-packages (make test does)")
    broker = RabbitBroker().start()
    yield broker
    broker.close()
