"""The contract layer's coverage phase sends each invalid value of a parameter once per operation, and
leaves every other case alone (conformance/coverage_dedup.py); the planted contract bugs are caught at
the default settings with it (test_planted.py, test_selftest.py). The Schemathesis process keeps its
invalid enum values between runs (conformance/schemathesis_process.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from conformance import coverage_dedup, schemathesis_process
from conformance.coverage_dedup import SentOnce, invalid_value
from conformance.schemathesis_layer import RUN_SCHEMATHESIS


def case(
    scenario: str,
    location: str | None,
    parameter: str | None,
    *,
    query: dict | None = None,
    body=None,
    description: str = "Incorrect type",
    phase: str = "coverage",
    mode: str = "negative",
    operation: str = "GET /cars",
    media_type: str = "application/json",
):
    data = SimpleNamespace(scenario=scenario, parameter_location=location, parameter=parameter, description=description)
    return SimpleNamespace(
        meta=SimpleNamespace(phase=SimpleNamespace(name=phase, data=data), generation=SimpleNamespace(mode=mode)),
        operation=SimpleNamespace(label=operation),
        query=query,
        path_parameters=None,
        headers=None,
        cookies=None,
        body=body,
        media_type=media_type,
    )


def test_an_invalid_value_sent_alone_is_not_sent_again_among_valid_parameters():
    sent = SentOnce()
    alone = case("incorrect_type", "query", "Limit", query={"Limit": "AAA"}, description="Limit: Incorrect type")
    among = case("incorrect_type", "query", "Limit", query={"Limit": "AAA", "Offset": 0, "Sort": "Id"})
    assert sent.first(alone)
    assert not sent.first(among)


@pytest.mark.parametrize(
    "other",
    [
        case("incorrect_type", "query", "Limit", query={"Limit": 0.5}),  # another invalid value
        case("incorrect_type", "query", "Limit", query={"Limit": None}),
        case("incorrect_type", "query", "Offset", query={"Offset": "AAA"}),  # another parameter
        case("incorrect_type", "query", "Limit", query={"Limit": "AAA"}, operation="GET /bookings"),
        case("incorrect_type", "query", "Limit", query={"Limit": "AAA"}, mode="positive"),
        case("incorrect_type", "query", "Limit", query={"Limit": "AAA"}, phase="fuzzing"),
        case("missing_parameter", "query", "Limit", query={"Limit": "AAA"}),  # not a value mutation
        case("unspecified_http_method", None, None, query={"Limit": "AAA"}),
    ],
)
def test_every_other_case_goes_out(other):
    sent = SentOnce()
    assert sent.first(case("incorrect_type", "query", "Limit", query={"Limit": "AAA"}))
    assert sent.first(other)


def test_a_body_property_is_told_by_its_media_type_and_the_values_type():
    sent = SentOnce()
    as_json = case("incorrect_type", "body", "application/json", body={"Seats": 0}, description="Seats: Incorrect type")
    as_text = case(
        "incorrect_type", "body", "application/json", body={"Seats": "0"}, description="Seats: Incorrect type"
    )
    as_form = case(
        "incorrect_type",
        "body",
        "application/x-www-form-urlencoded",
        body={"Seats": 0},
        description="Seats: Incorrect type",
        media_type="application/x-www-form-urlencoded",
    )
    assert sent.first(as_json) and sent.first(as_text) and sent.first(as_form)
    assert not sent.first(case("incorrect_type", "body", "x", body={"Seats": 0, "Make": "A"}, description="Seats: x"))


def test_a_body_mutation_it_cannot_place_goes_out_every_time():
    sent = SentOnce()
    nested = case("incorrect_type", "body", "application/json", body=[{"name": 0}], description="Array: name: x")
    assert invalid_value(nested) is None
    assert sent.first(nested) and sent.first(nested)


def test_the_unknown_query_parameter_goes_out_once_per_operation():
    sent = SentOnce()
    first = case("object_unexpected_properties", "query", None, query={"Sort": "Id", "x-unknown": 42})
    second = case("object_unexpected_properties", "query", None, query={"Limit": 1, "x-unknown": 42})
    elsewhere = case("object_unexpected_properties", "query", None, query={"x-unknown": 42}, operation="GET /users")
    assert sent.first(first) and not sent.first(second) and sent.first(elsewhere)


def test_the_schemathesis_process_registers_the_hook(monkeypatch):
    registered = []
    monkeypatch.setattr(coverage_dedup, "register", lambda: registered.append(True))
    monkeypatch.delenv("HYPOTHESIS_STORAGE_DIRECTORY", raising=False)
    schemathesis_process.prepare()
    assert registered and "conformance.schemathesis_process.prepare()" in RUN_SCHEMATHESIS


def test_the_invalid_enum_values_are_kept_between_runs_and_read_back_as_they_were(tmp_path, monkeypatch):
    from schemathesis.specs.openapi.coverage import _schema

    drawn = ("AAA", -773, 0.5, False, None, "\ud800")
    calls = []
    monkeypatch.setattr(_schema, "_invalid_enum_candidates", lambda: calls.append(1) or drawn)
    schemathesis_process.remember_invalid_enum_candidates(tmp_path)
    assert _schema._invalid_enum_candidates() == drawn and calls == [1]
    monkeypatch.setattr(_schema, "_invalid_enum_candidates", lambda: calls.append(1) or ())
    schemathesis_process.remember_invalid_enum_candidates(tmp_path)
    read = _schema._invalid_enum_candidates()
    assert read == drawn and [type(value) for value in read] == [type(value) for value in drawn]
    assert calls == [1], "the second process reads them, it does not draw them again"
