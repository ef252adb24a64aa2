"""`X-INVERS-Flow-ID` on every response, and the quota headers of authenticated responses."""

from __future__ import annotations

import time
import uuid

from mockserver.invers import DEFAULT_RATE_LIMIT


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


def test_authenticated_responses_count_the_clients_quota(owner):
    first, second = owner.get("/sharing-partners"), owner.get("/vehicles/NO-SUCH-VEHICLE")
    assert int(first.headers["x-rate-limit-limit"]) == DEFAULT_RATE_LIMIT.limit
    assert int(second.headers["x-rate-limit-remaining"]) == int(first.headers["x-rate-limit-remaining"]) - 1
    reset = int(first.headers["x-rate-limit-reset"])
    assert time.time() - 5 < reset <= time.time() + DEFAULT_RATE_LIMIT.window_seconds + 5


def test_without_a_quota_there_are_no_quota_headers(sandbox, owner):
    sandbox.control.put(f"/sandboxes/{sandbox.id}/rate-limits", json={"invers": None})
    response = owner.get("/sharing-partners")
    assert response.status_code == 200 and "x-rate-limit-limit" not in response.headers
    assert "x-invers-flow-id" in response.headers
