"""Per-request bookkeeping (http/context.py): a request is attributed to a sandbox through its trace."""

from __future__ import annotations

from mockserver.http.context import TRACE_KEY, RequestTrace, attribute, trace_of


def test_a_request_without_a_trace_has_none_and_attributing_it_is_harmless():
    scope: dict = {"type": "http"}
    assert trace_of(scope) is None
    attribute(scope, sandbox=object())
    assert trace_of(scope) is None and "extensions" not in scope


def test_attributing_a_traced_request_names_its_sandbox():
    trace = RequestTrace(profile="trimble", request_id="r-1")
    scope = {"type": "http", "extensions": {TRACE_KEY: trace}}
    sandbox = object()
    attribute(scope, sandbox)
    assert trace_of(scope) is trace and trace.sandbox is sandbox
    assert (trace.grant, trace.rate, trace.fault) == (None, None, None)
