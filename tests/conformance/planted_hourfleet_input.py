"""Hourfleet bugs planted in reading input (names in any case, the query string, dates) and in formats."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from mockserver.hourfleet import bookings as booking_rules
from mockserver.http import formats, names, query_input, validation

from .planted_hourfleet_kit import bug

OFFSET = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?)[+-]\d{2}:\d{2}$")


def _json_names_exact(monkeypatch):
    # As a strict JSON deserializer binds: only form bodies have their names matched loosely.
    monkeypatch.setattr(names, "_renamed_json", lambda raw, input_names, body_names: raw)


def _names_matched_ignoring_case_only(monkeypatch):
    monkeypatch.setattr(names.InputNames, "rename", lambda self, known, key: known.get(key.lower(), key))


def _form_names_exact(monkeypatch):
    monkeypatch.setattr(names, "_renamed_form", lambda raw, input_names, body_names: raw)


def _query_names_exact(monkeypatch):
    # The whole remembered renaming, not the renaming beneath it: what the bug answered must not stay
    # remembered for the runs after it.
    monkeypatch.setattr(names.AnyCaseInput, "_renamed_query", lambda self, base, query, input_names: query)


def _offsets_converted_to_utc(monkeypatch):
    """A date with an offset is converted to UTC instead of refused."""
    real_refuse, real_parse = validation.refuse_body, booking_rules.parse_utc_timestamp

    def refuse_body(judge, body):
        if isinstance(body, dict):
            body = {k: OFFSET.sub(r"\1Z", v) if isinstance(v, str) else v for k, v in body.items()}
        real_refuse(judge, body)

    def parse(text):
        return real_parse(text) if text.endswith("Z") else datetime.fromisoformat(text).astimezone(UTC)

    monkeypatch.setattr(validation, "refuse_body", refuse_body)
    monkeypatch.setattr(booking_rules, "parse_utc_timestamp", parse)


def _query_input_ignored(monkeypatch):
    monkeypatch.setattr(query_input, "body_properties", lambda pairs, names, operation: [])


def _json_body_wins_over_the_query(monkeypatch):
    real = query_input._into_json

    def body_first(properties, raw, fold, operation):
        named = {fold(key) for key in json.loads(raw)} if raw.lstrip().startswith(b"{") else set()
        return real([(k, v) for k, v in properties if fold(k) not in named], raw, fold, operation)

    monkeypatch.setattr(query_input, "_into_json", body_first)


def _query_values_left_strings(monkeypatch):
    monkeypatch.setattr(query_input, "_converted", lambda text, schema: text)


def _wildcard_answered_in_html(monkeypatch):
    # As for a browser, whose Accept lists */* too.
    real = formats.negotiate
    monkeypatch.setattr(
        formats,
        "negotiate",
        lambda name, accept, offered=tuple(formats.MEDIA_TYPES): (
            "html" if not name and "*/*" in (accept or "") else real(name, accept, offered)
        ),
    )


def _xml_answered_with_json(monkeypatch):
    monkeypatch.setattr(formats, "negotiate", lambda format_name, accept, offered: "json")


def _accept_ignored(monkeypatch):
    real = formats.negotiate
    monkeypatch.setattr(formats, "negotiate", lambda name, accept, offered=(): real(name, None, offered))


def _csv_without_its_header(monkeypatch):
    real = formats.to_csv
    monkeypatch.setattr(formats, "to_csv", lambda body: real(body).split("\r\n", 1)[1])


def _jsv_as_text_plain(monkeypatch):
    monkeypatch.setitem(formats.MEDIA_TYPES, "jsv", "text/plain")


def _html_without_a_page(monkeypatch):
    monkeypatch.setattr(formats, "to_html", lambda body, title: formats._html_value(body))


def _unknown_format_answered_in_json(monkeypatch):
    real_validate, real_negotiate = validation.ParameterValidator.validate_parameter, formats.negotiate

    def validate_parameter(self, parameter_type, value, param, param_name=None):
        return None if param.get("name") == "format" else real_validate(self, parameter_type, value, param, param_name)

    def negotiate(name, accept, offered=tuple(formats.MEDIA_TYPES)):
        chosen = real_negotiate(name, accept, offered)
        return chosen if chosen is None or chosen in formats.MEDIA_TYPES else "json"

    monkeypatch.setattr(validation.ParameterValidator, "validate_parameter", validate_parameter)
    monkeypatch.setattr(formats, "negotiate", negotiate)


PLANTED = (
    bug("HOURFLEET-INPUT-01", "JSON body names matched exactly (camelCase unread)", _json_names_exact),
    bug(
        "HOURFLEET-INPUT-02", "names matched ignoring case only (snake_case unread)", _names_matched_ignoring_case_only
    ),
    bug("HOURFLEET-INPUT-03", "form body names matched exactly", _form_names_exact),
    bug("HOURFLEET-INPUT-04", "query parameter names matched exactly", _query_names_exact),
    bug("HOURFLEET-INPUT-05", "a date with an offset converted to UTC, not refused", _offsets_converted_to_utc),
    bug("HOURFLEET-INPUT-06", "the query string ignored", _query_input_ignored),
    bug("HOURFLEET-INPUT-07", "a JSON body winning over the query", _json_body_wins_over_the_query),
    bug("HOURFLEET-INPUT-08", "query values left strings", _query_values_left_strings),
    bug("HOURFLEET-FORMAT-01", "Accept: */* answered in HTML", _wildcard_answered_in_html),
    bug("HOURFLEET-FORMAT-02", "format=xml answered with JSON", _xml_answered_with_json),
    bug("HOURFLEET-FORMAT-03", "the Accept header ignored", _accept_ignored),
    bug("HOURFLEET-FORMAT-04", "CSV without its header row", _csv_without_its_header),
    bug("HOURFLEET-FORMAT-05", "JSV answered as text/plain", _jsv_as_text_plain),
    bug("HOURFLEET-FORMAT-06", "format=html answering a bare table, not a page", _html_without_a_page),
    bug("HOURFLEET-FORMAT-07", "an unknown format answered in JSON", _unknown_format_answered_in_json),
)
