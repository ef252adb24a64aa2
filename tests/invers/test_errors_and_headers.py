"""Problem documents, `X-INVERS-Flow-ID` on every response, and the quota headers and 429 per API client."""

from __future__ import annotations

import time
import uuid

import pytest

from mockserver.invers import DEFAULT_RATE_LIMIT

from .conftest import OWNER, PARTNER
from .steps import advance

PROBLEM_KEYS = {"type", "type_documentation", "title", "status", "detail", "flow_id"}


def assert_problem(response, status: int, type_: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert PROBLEM_KEYS <= set(problem)
    assert (problem["type"], problem["status"]) == (type_, status)
    assert problem["type_documentation"] == "https://developers.invers.com" + type_
    assert problem["flow_id"] == response.headers["x-invers-flow-id"]
    return problem


def test_every_response_carries_a_flow_id_and_errors_repeat_it(sandbox, owner):
    anonymous = sandbox.anonymous_invers()
    responses = [
        owner.get("/vehicles"),
        owner.get("/vehicles/NO-SUCH-VEHICLE"),
        owner.request("PUT", "/vehicles"),
        owner.get("/no-such-resource"),
        anonymous.get("/vehicles"),
        anonymous.post("/auth/oauth/token", params={"grant_type": "client_credentials"}),
    ]
    flow_ids = [r.headers["x-invers-flow-id"] for r in responses]
    assert all(uuid.UUID(flow_id) for flow_id in flow_ids)
    assert len(set(flow_ids)) == len(flow_ids)
    for response in responses[1:]:
        assert response.json()["flow_id"] == response.headers["x-invers-flow-id"]


def test_an_unknown_vehicle_is_a_404_problem(owner):
    problem = assert_problem(owner.get("/vehicles/NO-SUCH-VEHICLE"), 404, "/problems/resource-not-found")
    assert "NO-SUCH-VEHICLE" in problem["detail"]


def test_an_unknown_path_and_an_unknown_method_are_problems_too(owner):
    assert_problem(owner.get("/no-such-resource"), 404, "/problems/resource-not-found")
    response = owner.request("PUT", "/vehicles")
    assert_problem(response, 405, "/problems/method-not-allowed")
    assert response.headers["allow"] == "GET"


def test_a_body_in_another_media_type_is_a_415_problem(owner):
    response = owner.patch("/vehicles/X", content=b"license_plate=B", headers={"Content-Type": "text/plain"})
    assert_problem(response, 415, "/problems/unsupported-media-type")


def test_authenticated_responses_count_the_clients_quota(owner):
    first, second = owner.get("/sharing-partners"), owner.get("/vehicles/NO-SUCH-VEHICLE")
    assert int(first.headers["x-rate-limit-limit"]) == DEFAULT_RATE_LIMIT.limit
    assert int(second.headers["x-rate-limit-remaining"]) == int(first.headers["x-rate-limit-remaining"]) - 1
    reset = int(first.headers["x-rate-limit-reset"])
    assert time.time() - 5 < reset <= time.time() + DEFAULT_RATE_LIMIT.window_seconds + 5


def test_a_quota_set_through_the_control_plane_gives_429_with_retry_after(sandbox, owner):
    limits = f"/sandboxes/{sandbox.id}/rate-limits"
    assert sandbox.control.put(limits, json={"invers": {"limit": 2, "windowSeconds": 60}}).status_code == 200
    assert [owner.get("/sharing-partners").status_code for _ in range(2)] == [200, 200]
    refused = owner.get("/sharing-partners")
    assert_problem(refused, 429, "/problems/too-many-requests")
    assert 0 < int(refused.headers["retry-after"]) <= 60
    assert refused.headers["x-rate-limit-remaining"] == "0" and refused.headers["x-rate-limit-limit"] == "2"
    advance(sandbox, 61)
    assert owner.get("/sharing-partners").status_code == 200


def test_quotas_count_per_api_client(sandbox, owner, partner):
    sandbox.control.put(f"/sandboxes/{sandbox.id}/rate-limits", json={"invers": {"limit": 1, "windowSeconds": 60}})
    assert owner.get("/sharing-partners").status_code == 200
    assert partner.get("/sharing-partners").status_code == 200
    assert owner.get("/sharing-partners").status_code == 429


def test_without_a_quota_there_are_no_quota_headers(sandbox, owner):
    sandbox.control.put(f"/sandboxes/{sandbox.id}/rate-limits", json={"invers": None})
    response = owner.get("/sharing-partners")
    assert response.status_code == 200 and "x-rate-limit-limit" not in response.headers
    assert "x-invers-flow-id" in response.headers


@pytest.mark.parametrize("fleet", [OWNER, PARTNER])
def test_the_token_endpoint_is_not_counted(sandbox, fleet):
    sandbox.control.put(f"/sandboxes/{sandbox.id}/rate-limits", json={"invers": {"limit": 1, "windowSeconds": 60}})
    tokens = [sandbox.invers_token(fleet) for _ in range(3)]
    assert len(set(tokens)) == 3
