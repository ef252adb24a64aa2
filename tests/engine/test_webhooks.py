"""Events and webhooks: deliveries to a loopback receiver, retried until they succeed or give up."""

from __future__ import annotations

import json

import pytest

from mockserver.engine.errors import Unprocessable
from mockserver.engine.sandbox import Sandbox, Services
from mockserver.engine.store import MemoryStore
from mockserver.engine.tokens import TokenBook
from mockserver.engine.webhooks import DELIVERED, FAILED, Dispatcher, host_allowed

from ..support import wait_for


def formatter(event, delivery_id):
    return {"Content-Type": "application/json", "X-Delivery": delivery_id}, json.dumps(event.payload).encode()


def sandbox_with(retries=(0.05, 0.05)) -> Sandbox:
    services = Services(TokenBook(), MemoryStore(), {}, Dispatcher(retries), {"invers": formatter})
    return Sandbox("s", {"seed": 1, "size": 1}, services)


def test_a_matching_event_is_delivered_with_the_profiles_format(receiver):
    target, sandbox = receiver(), sandbox_with()
    subscription = sandbox.subscribe("fleet-a", target.url, ("VehicleChanged",))
    sandbox.publish("invers", "VehicleChanged", "fleet-a", {"id": "V1"})
    sandbox.publish("invers", "Other", "fleet-a", {"id": "V2"})
    sandbox.publish("invers", "VehicleChanged", "fleet-b", {"id": "V3"})
    wait_for(lambda: sandbox.webhooks.deliveries() and sandbox.webhooks.deliveries()[0].state == DELIVERED)
    assert [json.loads(body) for _, body in target.received] == [{"id": "V1"}]
    delivery = sandbox.webhooks.deliveries(subscription.id)[0]
    assert target.received[0][0]["X-Delivery"] == delivery.id
    assert [e.type for e in sandbox.events.events(audience="fleet-a")] == ["VehicleChanged", "Other"]


def test_a_failing_receiver_gets_retries_until_it_answers(receiver):
    target, sandbox = receiver(failures=2), sandbox_with()
    sandbox.subscribe("fleet-a", target.url)
    sandbox.publish("invers", "VehicleChanged", "fleet-a", {})
    wait_for(lambda: sandbox.webhooks.deliveries()[0].state == DELIVERED)
    assert [a.status for a in sandbox.webhooks.deliveries()[0].attempts] == [500, 500, 204]


def test_a_delivery_gives_up_after_its_retries(receiver):
    target, sandbox = receiver(failures=99), sandbox_with(retries=(0.01,))
    sandbox.subscribe("fleet-a", target.url)
    sandbox.publish("invers", "VehicleChanged", "fleet-a", {})
    wait_for(lambda: sandbox.webhooks.deliveries()[0].state == FAILED)
    assert len(sandbox.webhooks.deliveries()[0].attempts) == 2


def test_an_unreachable_receiver_is_recorded_as_an_error():
    sandbox = sandbox_with(retries=())
    sandbox.subscribe("fleet-a", "http://127.0.0.1:9/nothing-listens")
    sandbox.publish("invers", "VehicleChanged", "fleet-a", {})
    wait_for(lambda: sandbox.webhooks.deliveries()[0].state == FAILED)
    attempt = sandbox.webhooks.deliveries()[0].attempts[0]
    assert attempt.status is None and "ConnectError" in attempt.error


@pytest.mark.parametrize("url", ["http://10.0.0.1/x", "http://example.com/x", "http://169.254.169.254/", "not a url"])
def test_webhooks_may_only_call_loopback_unless_a_host_is_allowed(url):
    with pytest.raises(Unprocessable):
        sandbox_with().subscribe("fleet-a", url)


def test_allowed_hosts_and_loopback_forms():
    assert host_allowed("http://127.0.0.5:81/x", frozenset()) and host_allowed("http://[::1]/x", frozenset())
    assert host_allowed("http://localhost/x", frozenset())
    assert host_allowed("https://ci-runner:9000/x", frozenset({"ci-runner"}))
    assert not host_allowed("https://ci-runner:9000/x", frozenset())
