"""query_input: which query names join the body, how they are converted, and who wins (ServiceStack's
binding: a JSON body < the query string < a form body)."""

from __future__ import annotations

import json

from mockserver.http.names import any_case
from mockserver.http.query_input import _converted, _form, _into_json, body_properties, query_input_names

SPEC = {
    "paths": {
        "/things/{Id}": {
            "parameters": [{"name": "Id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "patch": {
                "parameters": [{"$ref": "#/components/parameters/format"}],
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}},
                        "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Thing"}},
                    }
                },
            },
            "get": {"parameters": [{"name": "Size", "in": "query", "schema": {"type": "integer"}}]},
        }
    },
    "components": {
        "parameters": {"format": {"name": "format", "in": "query", "schema": {"type": "string"}}},
        "schemas": {
            "Thing": {
                "type": "object",
                "properties": {
                    "Size": {"type": "integer"},
                    "Price": {"type": "number"},
                    "Format": {"type": "string"},
                    "Tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
                },
            },
            "Tag": {"type": "integer"},
        },
    },
}

NAMES = query_input_names(SPEC, any_case)


def test_only_writes_with_a_body_are_listed_with_their_properties_and_query_parameters():
    assert [method for _, method, _ in NAMES.operations] == ["PATCH"]
    operation = NAMES.operation("/things/7", "PATCH")
    assert operation is not None and NAMES.operation("/things/7", "GET") is None
    assert operation.names == {"size": "Size", "price": "Price", "format": "Format", "tags": "Tags"}
    assert operation.query_parameters == {"format"} and operation.reads_json
    assert operation.schemas["Tags"]["items"] == {"type": "integer"}


def test_a_declared_query_parameter_stays_in_the_query():
    operation = NAMES.operation("/things/7", "PATCH")
    pairs = [("size", "3"), ("FORMAT", "xml"), ("other", "x"), ("price_", "1")]
    assert body_properties(pairs, NAMES, operation) == [0, 3]


def test_values_are_converted_by_schema_and_left_as_sent_when_they_do_not_parse():
    assert _converted("3", {"type": "integer"}) == 3 and _converted("x", {"type": "integer"}) == "x"
    assert _converted("2.5", {"type": "number"}) == 2.5 and _converted("nan", {"type": "number"}) == "nan"
    assert _converted("TRUE", {"type": "boolean"}) is True and _converted("yes", {"type": "boolean"}) == "yes"
    assert _converted("1,b", {"type": "array", "items": {"type": "integer"}}) == [1, "b"]
    assert _converted("007", {"type": "string"}) == "007"


def test_the_query_wins_over_a_json_body_and_a_form_body_wins_over_the_query():
    operation = NAMES.operation("/things/7", "PATCH")
    merged = _into_json([("Size", "3"), ("Tags", "1"), ("Tags", "2")], b'{"size": 9, "Price": 1}', any_case, operation)
    assert json.loads(merged) == {"Price": 1, "Size": 3, "Tags": [1, 2]}
    assert _into_json([("Size", "3")], b"[1]", any_case, operation) == b"[1]"
    assert _form([("Size", "3"), ("Price", "2")], b"size=9", any_case) == b"Price=2&size=9"
