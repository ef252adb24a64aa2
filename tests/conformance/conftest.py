"""The self-tests judge a server that also publishes invers events to a real RabbitMQ (tests/amqp/), so
the clean run checks the INVERS-AMQP rules like every other rule instead of reporting them not checked."""

from __future__ import annotations

import pytest

from ..amqp.live import amqp_server, stop


@pytest.fixture(scope="session")
def server(rabbitmq):
    live = amqp_server(rabbitmq.url, rabbitmq.admin_url)
    yield live
    stop(live)
