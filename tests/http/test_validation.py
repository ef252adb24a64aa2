"""Request validation (http/validation.py): one error per offending field, where it is and what is wrong,
in vendor-neutral words that never echo a long value."""

from __future__ import annotations

import pytest
from jsonschema import Draft4Validator

from mockserver.engine.errors import FieldError, InvalidInput
from mockserver.http.validation import MAX_REPORTED_ERRORS, describe, field_path, invalid, refuse_body

ITEM = {
    "type": "object",
    "required": ["vehicleId", "Name"],
    "additionalProperties": False,
    "properties": {
        "vehicleId": {"type": "string", "pattern": "^[a-z]+$", "x-fleetbox-message-pattern": "may hold only a to z."},
        "Name": {"type": "string", "maxLength": 5},
        "kind": {"enum": ["car", "van"]},
        "seats": {"type": "integer", "minimum": 1},
    },
}
BATCH = {"type": "array", "items": ITEM, "minItems": 1, "maxItems": 2}


def errors_of(schema: dict, body) -> list[FieldError]:
    with pytest.raises(InvalidInput) as refused:
        refuse_body(Draft4Validator(schema), body)
    return list(refused.value.fields)


def first_error(schema: dict, body):
    return next(Draft4Validator(schema).iter_errors(body))


def test_a_valid_body_passes():
    refuse_body(Draft4Validator(BATCH), [{"vehicleId": "abc", "Name": "x"}])


def test_every_offending_field_is_reported_once_with_its_path():
    body = [{"vehicleId": "ABC", "Name": "far too long", "kind": "bus"}, {"Name": 5}]
    fields = {error.field: error for error in errors_of(BATCH, body)}
    assert set(fields) == {"[0].vehicleId", "[0].Name", "[0].kind", "[1].vehicleId", "[1].Name"}
    assert fields["[0].vehicleId"] == FieldError("[0].vehicleId", "may hold only a to z.", "pattern")
    assert fields["[0].Name"] == FieldError("[0].Name", "must be at most 5 characters long.", "maxLength")
    assert fields["[0].kind"].message == "must be one of car, van; got 'bus'."
    assert fields["[1].vehicleId"] == FieldError("[1].vehicleId", "is required.", "required")
    assert fields["[1].Name"].message == "must be of type string, not 5."


def test_the_body_itself_is_called_body():
    (error,) = errors_of(BATCH, {"vehicleId": "a"})
    assert error == FieldError("body", 'must be of type array, not {"vehicleId": "a"}.', "type")


def test_a_batch_size_names_the_bound_and_the_count():
    (error,) = errors_of(BATCH, [{"vehicleId": "a", "Name": "a"}] * 3)
    assert (error.field, error.message) == ("body", "must hold at most 2 items; this one holds 3.")


def test_unknown_properties_are_named():
    (error,) = errors_of(ITEM, {"vehicleId": "a", "Name": "a", "colour": "red", "wheels": 4})
    assert error.message == "has properties the schema does not allow: 'colour', 'wheels'."


def test_a_long_value_is_never_echoed_whole():
    message = describe(first_error({"type": "integer"}, "x" * 500))
    assert message.startswith("must be of type integer, not 'xxx") and message.endswith("....")
    assert len(message) < 100


def test_a_minimum_names_the_bound_and_the_value():
    assert describe(first_error(ITEM, {"vehicleId": "a", "Name": "a", "seats": 0})) == "must be at least 1; got 0."


def test_field_path_names_the_missing_property_among_several():
    error = first_error(ITEM, {"vehicleId": "a"})
    assert field_path(error) == "Name"


def test_the_message_leads_with_the_first_error_and_counts_the_rest():
    single = invalid([FieldError("limit", "must be at least 1; got 0.")], "parameter")
    assert single.message == "limit: must be at least 1; got 0."
    several = invalid([FieldError("body", "must not be empty."), FieldError("a", "x"), FieldError("b", "y")], "body")
    assert several.message == "must not be empty. (2 more body error(s) listed in errors)"
    assert [f.field for f in several.fields] == ["body", "a", "b"]


def test_at_most_twenty_fields_are_reported():
    schema = {"type": "object", "properties": {f"f{n:02}": {"type": "string"} for n in range(30)}}
    fields = errors_of(schema, {f"f{n:02}": n for n in range(30)})
    assert len(fields) == MAX_REPORTED_ERRORS == 20
    assert fields[0].field == "f00"


def test_a_served_api_reports_every_bad_field_and_parameter(trimble):
    body = trimble.post("/vehicles", json=[{"vehicleId": "ok", "Name": "a/b"}, {"Name": "x"}]).json()
    assert [e["field"] for e in body["errors"]] == ["[0].Name", "[1]"]
    parameters = trimble.get("/vehicles", params={"limit": 0, "offset": -1}).json()
    assert sorted(e["field"] for e in parameters["errors"]) == ["limit", "offset"]
    assert "(1 more parameter error(s) listed in errors)" in parameters["message"]
