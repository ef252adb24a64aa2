"""Expectations about INVERS' problem documents and headers, shared by the rules."""

from __future__ import annotations

import httpx

from .. import expect

FLOW_ID = "X-INVERS-Flow-ID"
PROBLEM_FIELDS = ("type", "type_documentation", "title", "status", "detail", "flow_id")


def expect_flow_id(response: httpx.Response) -> str:
    flow_id = response.headers.get(FLOW_ID)
    expect.true(
        bool(flow_id),
        f"an {FLOW_ID} header on the answer to {response.request.method} {response.request.url.path} "
        f"({response.status_code})",
    )
    return flow_id


def expect_problem(response: httpx.Response, status: int, type_: str) -> dict:
    """A problem document of `type_` with `status`, whose `flow_id` repeats the response's flow id."""
    expect.status(response, status)
    problem = expect.json_of(response)
    expect.true(isinstance(problem, dict), "a JSON object as the problem document")
    expect.equal(problem.get("type"), type_, "the problem's type")
    missing = [name for name in PROBLEM_FIELDS if name not in problem]
    expect.true(not missing, f"the problem fields {', '.join(PROBLEM_FIELDS)}; missing {', '.join(missing)}")
    expect.equal(problem.get("status"), status, "the problem's status")
    expect.equal(problem.get("flow_id"), expect_flow_id(response), f"the problem's flow_id (the {FLOW_ID} header)")
    return problem


def expect_field_named(problem: dict, field: str) -> None:
    """A validation problem names the offending field (in `detail`, or in fleetbox's `errors`)."""
    named = field in str(problem.get("detail", "")) or any(
        field in str(e.get("field", "")) for e in problem.get("errors", []) or []
    )
    expect.true(named, f"the field {field!r} named in the problem (detail: {problem.get('detail')!r})")
