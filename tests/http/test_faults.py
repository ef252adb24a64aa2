"""The fault middleware (http/faults.py): a request's own `X-Fleetbox-Fault` header, applied to vendor
requests only, recorded on the request's trace. (A sandbox's fault rules: tests/control/test_faults.py.)"""

from __future__ import annotations

import time

import pytest

from mockserver.engine.errors import InjectedFault, InvalidInput
from mockserver.engine.registry import SandboxRegistry
from mockserver.http.context import TRACE_KEY, RequestTrace
from mockserver.http.faults import FaultMiddleware
from mockserver.http.routes import RouteTable

from .asgi import Reached, call, scope_of, stub_profile

VENDOR = stub_profile("vendor", "/v")
ROUTES = RouteTable([(VENDOR, {"paths": {}})])


def traced(method: str, path: str, fault: str | None = None) -> tuple[dict, RequestTrace]:
    scope = scope_of(method, path, headers={"X-Fleetbox-Fault": fault} if fault else {})
    trace = RequestTrace(profile="vendor", request_id="r-1")
    scope["extensions"] = {TRACE_KEY: trace}
    return scope, trace


def faults(reached: Reached, vendors=frozenset({"vendor"})) -> FaultMiddleware:
    return FaultMiddleware(reached.app, ROUTES, SandboxRegistry({}), vendors)


def test_an_injected_status_is_raised_for_the_renderer_and_the_app_is_not_called():
    reached = Reached()
    scope, trace = traced("GET", "/v/things", "status=503")
    with pytest.raises(InjectedFault) as raised:
        call(faults(reached), scope)
    assert raised.value.status == 503 and trace.fault == "status 503"
    assert reached.scope is None


def test_latency_delays_the_normal_answer():
    reached = Reached()
    scope, trace = traced("GET", "/v/things", "latency=150")
    started = time.perf_counter()
    sent = call(faults(reached), scope)
    assert time.perf_counter() - started >= 0.15
    assert sent[0]["status"] == 200 and trace.fault == "latency 150 ms"


def test_a_dropped_request_promises_a_body_it_never_sends():
    reached = Reached()
    scope, trace = traced("POST", "/v/things", "drop")
    sent = call(faults(reached), scope)
    assert sent == [{"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]}]
    assert reached.scope is None and trace.fault == "dropped"


@pytest.mark.parametrize("path,vendors", [("/elsewhere", frozenset({"vendor"})), ("/v/things", frozenset())])
def test_the_header_is_ignored_outside_the_vendor_apis(path, vendors):
    reached = Reached()
    scope, trace = traced("GET", path, "status=503")
    assert call(faults(reached, vendors), scope)[0]["status"] == 200
    assert trace.fault is None


def test_a_request_without_fault_or_token_passes_untouched():
    reached = Reached()
    scope, trace = traced("GET", "/v/things")
    assert call(faults(reached), scope)[0]["status"] == 200 and trace.fault is None and trace.sandbox is None


def test_an_unreadable_fault_header_is_invalid_input():
    with pytest.raises(InvalidInput):
        call(faults(Reached()), traced("GET", "/v/things", "status=200")[0])
