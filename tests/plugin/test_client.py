"""The control plane's Python client (conformance/client): typed answers, one error type carrying the problem
document, the bearer token, and the journal's verification messages."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from conformance.client import ControlClient, JournalEntry, SandboxError
from conformance.client.journal import Verification


def test_typed_answers_and_the_problem_document_of_a_refusal(server):
    with ControlClient(server.url) as fleetbox:
        created = fleetbox.create_sandbox(seed=7, size=3)
        control = fleetbox.sandbox(created.id)
        try:
            assert created.credentials.trimble.direct.type == "direct"
            assert len(created.credentials.invers.fleets) == 4
            assert created.credentials.hourfleet.operator.role == "ops"
            assert control.clock.advance(hours=2).offset_seconds >= 7199
            fault = control.faults.add(503, profile="trimble", path="/vehicles*", times=2)
            assert (fault.status, fault.remaining) == (503, 2) and control.faults.list() == [fault]
            assert control.export_state()["seed"] == 7
            with pytest.raises(SandboxError) as refused:
                fleetbox.create_sandbox(id=created.id)
            assert refused.value.status == 409 and refused.value.problem["status"] == 409
            assert refused.value.title and f"409: {refused.value.title}" in str(refused.value)
        finally:
            control.delete()
        with pytest.raises(SandboxError) as missing:
            control.get()
        assert missing.value.status == 404 and missing.value.method == "GET"


def test_the_token_goes_as_a_bearer_and_a_sandboxs_access_key_replaces_it():
    seen = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers.get("authorization")))
        return httpx.Response(204)

    client = ControlClient("http://fleetbox.test", "s3cret", http=None)
    client.http = httpx.Client(transport=httpx.MockTransport(answer), headers=client.http.headers)
    client.sandbox("one").faults.clear()
    client.sandbox("two", access_key="k2").journal.clear()
    assert seen == [
        ("/__sandbox/sandboxes/one/faults", "Bearer s3cret"),
        ("/__sandbox/sandboxes/two/journal", "Bearer k2"),
    ]


def entry(seq: int, method: str, path: str, status: int = 200, profile: str = "trimble") -> JournalEntry:
    return JournalEntry(seq, datetime.now(UTC), profile, method, path, "", status, 1.0, {}, "", "")


BASE = {"trimble": "/trimble/api/assets/v1", "invers": "/invers"}
ENTRIES = [
    entry(1, "POST", "/trimble/api/assets/v1/accounts/authenticate"),
    *(entry(n, "GET", "/trimble/api/assets/v1/vehicles") for n in (2, 3, 4)),
    entry(5, "GET", "/trimble/api/assets/v1/vehicles/v1", status=404),
    entry(6, "GET", "/invers/vehicles", profile="invers"),
]


def verification() -> Verification:
    return Verification(lambda profile: [e for e in ENTRIES if profile in (None, e.profile)], lambda: BASE)


def test_requests_are_filtered_by_profile_method_pattern_and_status():
    journal = verification()
    assert [e.seq for e in journal.requests("GET", "/vehicles")] == [2, 3, 4, 6]
    assert [e.seq for e in journal.requests("get", "/vehicles*", profile="trimble")] == [2, 3, 4, 5]
    assert [e.seq for e in journal.requests(status=404)] == [5]
    assert [e.seq for e in journal.requests(path="/invers/*")] == [6]


def test_a_failed_verification_lists_what_was_received():
    journal = verification()
    with pytest.raises(AssertionError) as failed:
        journal.assert_requested("POST", "/vehicles", profile="trimble")
    assert str(failed.value) == (
        "expected 1 POST /vehicles to trimble, got 0; received: POST /accounts/authenticate, GET /vehicles x3, "
        "GET /vehicles/v1"
    )
    with pytest.raises(
        AssertionError, match=r"^expected at least 4 GET /vehicles to trimble answered 200, got 3; received: "
    ):
        journal.assert_requested("GET", "/vehicles", at_least=4, status=200, profile="trimble")
    with pytest.raises(AssertionError, match="^expected 0 GET /vehicles/v1, got 1"):
        journal.assert_not_requested("GET", "/vehicles/v1")
    assert len(journal.assert_requested("GET", "/vehicles", times=4)) == 4
