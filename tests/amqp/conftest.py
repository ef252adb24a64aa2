"""Fixtures of the AMQP tests: a fleetbox server publishing invers events to the session's RabbitMQ node
(with a broker user per fleet), and sandboxes on it."""

from __future__ import annotations

import uuid

import httpx
import pytest

from ..support import SandboxHandle
from .live import amqp_server, stop


@pytest.fixture(scope="session")
def server_with_amqp(rabbitmq):
    live = amqp_server(rabbitmq.url, rabbitmq.admin_url)
    yield live
    stop(live)


@pytest.fixture
def amqp_sandbox(server_with_amqp):
    """A sandbox of its own on the AMQP server (seed 7, size 12), deleted afterwards."""
    sandbox_id = f"t-{uuid.uuid4().hex[:12]}"
    url = f"{server_with_amqp.url}/__sandbox/sandboxes"
    response = httpx.post(url, json={"id": sandbox_id, "seed": 7, "size": 12})
    assert response.status_code == 201, response.text
    yield SandboxHandle(server_with_amqp.url, response.json())
    httpx.delete(f"{url}/{sandbox_id}")
