"""Input names in any case (http/names.py): which names a spec declares, how they fold, and the middleware
that rewrites what a client sent to the spec's spelling."""

from __future__ import annotations

import json

import pytest

from mockserver.http.names import AnyCaseInput, any_case, body_names, case_insensitive, input_names, query_names

from .asgi import Reached, call, scope_of

CAR = {"$ref": "#/components/schemas/Car"}
USERNAME = {"properties": {"username": {"type": "string"}}}
SPEC = {
    "components": {
        "parameters": {"limit": {"name": "Limit", "in": "query"}},
        "schemas": {
            "Car": {
                "type": "object",
                "properties": {"LicensePlate": {"type": "string"}, "Owner": {"$ref": "#/components/schemas/Person"}},
            },
            "Person": {"type": "object", "properties": {"FirstName": {"type": "string"}}},
        },
    },
    "paths": {
        "/cars": {
            "parameters": [{"$ref": "#/components/parameters/limit"}],
            "get": {"parameters": [{"name": "sortBy", "in": "query"}, {"name": "X-Trace", "in": "header"}]},
            "post": {
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"type": "array", "items": CAR}},
                        "application/x-www-form-urlencoded": {"schema": {"allOf": [CAR]}},
                    }
                }
            },
        },
        "/users/{userId}": {"put": {"requestBody": {"content": {"application/json": {"schema": USERNAME}}}}},
    },
}


SPELLINGS = ["startDateUtc", "StartDateUtc", "start_date_utc", "start-date-utc", "STARTDATE_UTC"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_any_case_folds_camel_pascal_snake_and_kebab_spellings_to_one_key(spelling):
    assert any_case(spelling) == any_case("StartDateUtc")


def test_case_insensitive_keeps_underscores_apart():
    assert case_insensitive("LIMIT") == case_insensitive("limit")
    assert case_insensitive("start_date") != case_insensitive("startDate")


def test_query_names_are_every_query_parameter_of_path_and_operation_refs_followed():
    assert query_names(SPEC) == {"limit": "Limit", "sortby": "sortBy"}
    assert query_names(SPEC, any_case) == {"limit": "Limit", "sortby": "sortBy"}


def test_two_query_names_clients_could_not_tell_apart_are_refused():
    spec = {
        "paths": {
            "/a": {"get": {"parameters": [{"name": "limit", "in": "query"}]}},
            "/b": {"get": {"parameters": [{"name": "LIMIT", "in": "query"}]}},
        }
    }
    with pytest.raises(ValueError, match="names both 'limit' and 'LIMIT'"):
        query_names(spec)


def test_body_names_are_per_operation_and_reach_nested_properties():
    operations = {(pattern.pattern, method): names for pattern, method, names in body_names(SPEC)}
    assert set(operations) == {(r"/cars", "POST"), (r"/users/[^/]+", "PUT")}
    cars = {"licenseplate": "LicensePlate", "owner": "Owner", "firstname": "FirstName"}
    assert operations[(r"/cars", "POST")] == cars
    assert operations[(r"/users/[^/]+", "PUT")] == {"username": "username"}


def test_input_names_without_bodies_rename_query_names_case_insensitively_only():
    names = input_names(SPEC, bodies=False)
    assert names.body is None and names.body_names_for("/cars", "POST") is None
    assert names.rename(names.query, "SORTBY") == "sortBy"
    assert names.rename(names.query, "sort_by") == "sort_by"


def test_input_names_with_bodies_rename_json_documents_at_any_depth():
    names = input_names(SPEC, bodies=True)
    body = names.body_names_for("/cars", "POST")
    assert names.body_names_for("/users/7", "PUT") == {"username": "username"}
    assert names.body_names_for("/cars", "PUT") is None
    sent = [{"license_plate": "A-1", "owner": {"first-name": "Ann"}, "unknown_thing": 1}]
    assert names.rename_json(body, sent) == [{"LicensePlate": "A-1", "Owner": {"FirstName": "Ann"}, "unknown_thing": 1}]


def rewrite(names, method: str, path: str, query: bytes = b"", body: bytes = b"", media_type: str = "application/json"):
    reached = Reached()
    headers = {"content-type": media_type, "content-length": str(len(body))}
    call(AnyCaseInput(reached.app, {"/api": names}), scope_of(method, path, query, headers), body)
    return reached


def test_the_middleware_rewrites_query_json_and_form_names_under_its_base_path():
    names = input_names(SPEC, bodies=True)
    query = rewrite(names, "GET", "/api/cars", query=b"LIMIT=3&sort_by=x&other=1")
    assert query.scope["query_string"] == b"Limit=3&sortBy=x&other=1"
    posted = rewrite(names, "POST", "/api/cars", body=json.dumps([{"license_plate": "B-2"}]).encode())
    assert json.loads(posted.body) == [{"LicensePlate": "B-2"}]
    assert dict(posted.scope["headers"])[b"content-length"] == str(len(posted.body)).encode()
    form_type = "application/x-www-form-urlencoded"
    form = rewrite(names, "POST", "/api/cars", body=b"license-plate=C-3", media_type=form_type)
    assert form.body == b"LicensePlate=C-3"


def test_the_middleware_leaves_alone_what_it_must_not_touch():
    names = input_names(SPEC, bodies=True)
    assert rewrite(names, "GET", "/elsewhere/cars", query=b"LIMIT=3").scope["query_string"] == b"LIMIT=3"
    # Not JSON: the validator words that error, on the body as sent.
    assert rewrite(names, "POST", "/api/cars", body=b'[{"license_plate": ').body == b'[{"license_plate": '
    text = rewrite(names, "POST", "/api/cars", body=b"license_plate=x", media_type="text/plain")
    assert text.body == b"license_plate=x"
    query_only = rewrite(input_names(SPEC, bodies=False), "POST", "/api/cars", body=b'[{"license_plate": "D"}]')
    assert query_only.body == b'[{"license_plate": "D"}]'
