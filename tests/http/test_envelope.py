"""The envelope of vendor requests (http/envelope.py): a trace with a fresh request id, the profile's
response headers, and one journal entry per exchange of a request attributed to a sandbox."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from mockserver.engine.journal import MAX_BODY_BYTES, MAX_ENTRIES, Journal
from mockserver.engine.store.memory import MemoryRecords
from mockserver.http.context import trace_of
from mockserver.http.envelope import EnvelopeMiddleware
from mockserver.http.routes import RouteTable

from .asgi import Reached, call, scope_of, stub_profile

NOW = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


class FakeSandbox:
    def __init__(self) -> None:
        self.journal = Journal(MemoryRecords(MAX_ENTRIES))

    def now(self) -> datetime:
        return NOW


def flow_id(trace) -> list[tuple[str, str]]:
    return [("X-Flow-ID", trace.request_id)]


VENDOR = stub_profile("vendor", "/v", response_headers=flow_id)
PLAIN = stub_profile("plain", "/p")
ROUTES = RouteTable([(VENDOR, {"paths": {"/things": {"post": {}}}}), (PLAIN, {"paths": {}})])


def envelope(reached: Reached) -> EnvelopeMiddleware:
    return EnvelopeMiddleware(reached.app, ROUTES, frozenset({"vendor", "plain"}))


class Attributing(Reached):
    """An app that attributes the request to `sandbox`, as a token check would."""

    def __init__(self, sandbox, **kwargs) -> None:
        super().__init__(**kwargs)
        self.sandbox = sandbox

    async def app(self, scope, receive, send) -> None:
        trace_of(scope).sandbox = self.sandbox
        await super().app(scope, receive, send)


def test_each_vendor_request_gets_a_trace_with_its_own_id_and_the_profiles_headers():
    seen = []
    for _ in range(2):
        reached = Reached()
        sent = call(envelope(reached), scope_of("GET", "/v/things"))
        trace = trace_of(reached.scope)
        assert trace.profile == "vendor" and uuid.UUID(trace.request_id)
        assert (b"x-flow-id", trace.request_id.encode()) in sent[0]["headers"]
        assert (b"content-type", b"text/plain") in sent[0]["headers"]
        seen.append(trace.request_id)
    assert seen[0] != seen[1]


def test_a_profile_without_response_headers_adds_none():
    reached = Reached()
    sent = call(envelope(reached), scope_of("GET", "/p/anything"))
    assert trace_of(reached.scope).profile == "plain"
    assert sent[0]["headers"] == [(b"content-type", b"text/plain")]


@pytest.mark.parametrize("path", ["/__sandbox/health", "/elsewhere"])
def test_requests_outside_the_vendor_apis_pass_untouched(path):
    reached = Reached()
    call(envelope(reached), scope_of("GET", path))
    assert trace_of(reached.scope) is None


def test_an_unattributed_request_is_not_journaled_and_an_attributed_one_is():
    sandbox = FakeSandbox()
    call(envelope(Reached()), scope_of("POST", "/v/things"), b"{}")
    assert sandbox.journal.entries() == []
    reached = Attributing(sandbox, status=201, answer=b'{"id": 1}')
    request = scope_of("POST", "/v/things", b"dry=1", {"Authorization": "Bearer t"})
    call(envelope(reached), request, b'{"na', b'me": "x"}')
    (entry,) = sandbox.journal.entries()
    assert (entry.profile, entry.method, entry.path, entry.query) == ("vendor", "POST", "/v/things", "dry=1")
    assert entry.status == 201
    assert entry.at == NOW and entry.duration_ms >= 0 and entry.fault is None
    assert entry.request_body == b'{"name": "x"}' and entry.response_body == b'{"id": 1}'
    assert ("authorization", "Bearer t") in entry.request_headers


def test_journaled_bodies_are_capped():
    sandbox = FakeSandbox()
    big = b"x" * (MAX_BODY_BYTES + 100)
    call(envelope(Attributing(sandbox, answer=big)), scope_of("POST", "/v/things"), big[:1000], big[1000:])
    (entry,) = sandbox.journal.entries()
    assert entry.request_body == entry.response_body == b"x" * MAX_BODY_BYTES


def test_a_request_that_crashes_is_journaled_as_a_500_with_its_fault():
    sandbox = FakeSandbox()

    async def crash(scope, receive, send):
        trace = trace_of(scope)
        trace.sandbox, trace.fault = sandbox, "status 503"
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        call(EnvelopeMiddleware(crash, ROUTES, frozenset({"vendor"})), scope_of("GET", "/v/things"))
    (entry,) = sandbox.journal.entries()
    assert (entry.status, entry.fault) == (500, "status 503")


def test_a_served_request_is_journaled_and_its_error_repeats_the_request_id(sandbox):
    owner = sandbox.invers(0)
    response = owner.get("/vehicles/NO-SUCH-VEHICLE")
    journal = sandbox.control.get(f"/sandboxes/{sandbox.id}/journal").json()["entries"]
    assert [(e["method"], e["status"]) for e in journal if e["path"].endswith("/NO-SUCH-VEHICLE")] == [("GET", 404)]
    assert response.json()["flow_id"] == response.headers["x-invers-flow-id"]
