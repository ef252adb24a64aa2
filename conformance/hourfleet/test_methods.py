"""HTTP methods and rate limits (vendor section "API Patterns")."""

from __future__ import annotations

import pytest

from .. import expect
from ..rules import rule

AREA = "Methods and limits"
ATTEMPTS = 200


@rule(
    "HOURFLEET-LIMIT-01",
    "HEAD is refused with 405 and an Allow header (only GET, POST, PUT, PATCH and DELETE exist)",
    AREA,
    writes="its cars (created, deleted)",
)
def test_head(owner, car):
    response = owner.http.request("HEAD", f"/cars/{car['Id']}")
    expect.status(response, 405)
    allowed = {m.strip() for m in response.headers.get("allow", "").split(",") if m.strip()}
    expect.true(
        bool(allowed) and allowed <= {"GET", "POST", "PUT", "PATCH", "DELETE"},
        f"an Allow header of the five verbs (got {sorted(allowed)})",
    )


@rule(
    "HOURFLEET-LIMIT-02",
    "OPTIONS is refused with 405 and a ResponseStatus",
    AREA,
    writes="its cars (created, deleted)",
)
def test_options(owner, car):
    response = owner.http.request("OPTIONS", f"/cars/{car['Id']}")
    expect.status(response, 405)
    expect.true("ResponseStatus" in expect.json_of(response), "a ResponseStatus")


@rule(
    "HOURFLEET-LIMIT-03",
    "a caller over its rate limit gets 429 with Retry-After and a ResponseStatus",
    AREA,
    writes="the sandbox's quota (set, then back)",
)
def test_rate_limit(control, app):
    if control is not None:
        # A fleetbox sandbox: lower the quota for the run's sandbox, and put it back afterwards.
        previous = control.rate_limit()
        control.set_rate_limit({"limit": 3, "windowSeconds": 60})
    try:
        for _ in range(ATTEMPTS):
            response = app.http.get("/cars", params={"limit": 1})
            if response.status_code == 429:
                break
        else:
            pytest.skip(f"not checked: no 429 within {ATTEMPTS} requests")
        expect.true(int(response.headers.get("retry-after", "0") or 0) > 0, "a positive Retry-After")
        expect.true("ResponseStatus" in expect.json_of(response), "a ResponseStatus")
    finally:
        if control is not None:
            control.set_rate_limit(previous)
