"""Rate limits per API client: the X-Rate-Limit headers and 429 /problems/too-many-requests."""

from __future__ import annotations

import time

from .. import expect
from ..rules import rule
from .problems import expect_problem

AREA = "Rate limits"
HEADERS = ("X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset")


def counters(response) -> dict[str, int]:
    found = {}
    for name in HEADERS:
        value = response.headers.get(name)
        expect.true(
            value is not None and value.isdigit(),
            f"an integer {name} header on {response.request.method} {response.request.url.path}, got {value!r}",
        )
        found[name] = int(value)
    return found


@rule(
    "INVERS-RATE-01",
    "authenticated responses carry X-Rate-Limit-Limit, X-Rate-Limit-Remaining and X-Rate-Limit-Reset (UTC epoch "
    "seconds)",
    AREA,
)
def test_quota_headers(any_fleet, control):
    lifted = control is not None and control.rate_limit() is None
    if lifted:
        # A fleetbox sandbox whose quota was lifted sends no counters; give it one for the rule.
        control.set_rate_limit({"limit": 1000, "windowSeconds": 60})
    try:
        seen = counters(any_fleet.http.get("/sharing-partners"))
    finally:
        if lifted:
            control.set_rate_limit(None)
    expect.true(seen["X-Rate-Limit-Remaining"] <= seen["X-Rate-Limit-Limit"], "Remaining at most Limit")
    expect.true(seen["X-Rate-Limit-Reset"] > time.time() - 3600 * 24, "Reset as epoch seconds, not a duration")


@rule("INVERS-RATE-02", "X-Rate-Limit-Remaining drops by one with each request of the client", AREA)
def test_remaining_counts_down(any_fleet):
    for _ in range(2):
        first = counters(any_fleet.http.get("/sharing-partners"))
        second = counters(any_fleet.http.get("/sharing-partners"))
        if first["X-Rate-Limit-Reset"] == second["X-Rate-Limit-Reset"]:
            break  # both in one window (a new window between them would reset the count)
    expect.equal(
        second["X-Rate-Limit-Remaining"],
        first["X-Rate-Limit-Remaining"] - 1,
        "X-Rate-Limit-Remaining after one more request",
    )


@rule(
    "INVERS-RATE-03",
    "a client over its quota is refused with 429 /problems/too-many-requests and a Retry-After",
    AREA,
    writes="the sandbox's quota (set, then back)",
)
def test_over_the_quota(any_fleet, sandbox):
    before = sandbox.rate_limit()
    sandbox.set_rate_limit({"limit": 2, "windowSeconds": 60})
    try:
        statuses = [any_fleet.http.get("/sharing-partners").status_code for _ in range(2)]
        expect.equal(statuses, [200, 200], "the statuses of the two requests the quota allows")
        refused = any_fleet.http.get("/sharing-partners")
        expect_problem(refused, 429, "/problems/too-many-requests")
        retry_after = refused.headers.get("Retry-After", "")
        expect.true(
            retry_after.isdigit() and 0 < int(retry_after) <= 60,
            f"a Retry-After of 1 to 60 seconds, got {retry_after!r}",
        )
    finally:
        sandbox.set_rate_limit(before)


@rule(
    "INVERS-RATE-04",
    "quotas count per API client: one client over its quota does not stop another",
    AREA,
    writes="the sandbox's quota (set, then back)",
)
def test_quotas_are_per_client(owner, partner, sandbox):
    before = sandbox.rate_limit()
    sandbox.set_rate_limit({"limit": 1, "windowSeconds": 60})
    try:
        expect.status(owner.http.get("/sharing-partners"), 200)
        expect.status(owner.http.get("/sharing-partners"), 429)
        expect.status(partner.http.get("/sharing-partners"), 200)
    finally:
        sandbox.set_rate_limit(before)
