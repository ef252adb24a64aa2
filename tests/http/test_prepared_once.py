"""What the request path reads once per operation (or remembers) answers exactly what Connexion's per-request
code answers: request content types, response content types and bodies, parameter checks; and request ids
stay version-4 UUIDs, never repeated across forked workers."""

from __future__ import annotations

import os
import uuid
from types import SimpleNamespace

import pytest
from connexion.context import _operation
from connexion.decorators.response import SyncResponseDecorator
from connexion.exceptions import NonConformingResponseHeaders
from connexion.middleware.request_validation import RequestValidationOperation

from mockserver.http.dispatch import DirectFramework, PreparedResponse
from mockserver.http.envelope import new_request_id
from mockserver.http.jsonify import JSONIFIER
from mockserver.http.prepared_validation import PreparedValidationOperation
from mockserver.http.routes import RouteTable

CONTENT_TYPES = [
    None,
    b"application/json",
    b"Application/JSON; charset=latin-1",
    b"application/json;charset=",
    b"text/plain; format=flowed; charset=utf-16",
    b"application/x-www-form-urlencoded",
    b"multipart/form-data; boundary=x",
]


@pytest.mark.parametrize("consumes", [[], ["application/json"], ["application/x-www-form-urlencoded"]])
@pytest.mark.parametrize("content_type", CONTENT_TYPES)
@pytest.mark.parametrize("name", [b"content-type", b"Content-Type"])
def test_a_request_content_type_is_read_as_connexion_reads_it(consumes, content_type, name):
    headers = [(b"host", b"x"), *([(name, content_type)] if content_type is not None else [])]
    owner = SimpleNamespace(_operation=SimpleNamespace(consumes=consumes))
    for _ in range(2):  # the second time from what was remembered
        assert PreparedValidationOperation.extract_content_type(
            owner, headers
        ) == RequestValidationOperation.extract_content_type(owner, headers)


def _connexion_and_prepared(produces: list[str]):
    operation = SimpleNamespace(produces=produces)
    connexion = SyncResponseDecorator(framework=DirectFramework, jsonifier=JSONIFIER)
    prepared = PreparedResponse(operation=operation, framework=DirectFramework, jsonifier=JSONIFIER)
    return operation, connexion, prepared


def _outcome(decorator, answer):
    try:
        return decorator.build_framework_response(answer)
    except NonConformingResponseHeaders as refused:
        return type(refused)


@pytest.mark.parametrize(
    "produces",
    [[], ["application/json"], ["application/json", "application/xml"], ["text/plain", "application/json"]],
)
@pytest.mark.parametrize(
    "answer",
    [
        {"a": [1, "é"]},
        ({"a": 1}, 201),
        ({"a": 1}, 200, {"X-Thing": "1"}),
        ({"a": 1}, 200, {"Content-Type": "application/json"}),
        ("<a/>", 200, {"content-type": "application/xml"}),
        ("text", 200, {"Content-Type": "text/csv"}),
        "plain text",
        (None, 204),
        [1, 2**70],  # beyond orjson's integers: the standard library writes it
    ],
)
def test_a_response_is_built_as_connexions_decorator_builds_it(produces, answer):
    operation, connexion, prepared = _connexion_and_prepared(produces)
    token = _operation.set(operation)  # Connexion's decorator reads the operation from its context
    try:
        assert _outcome(prepared, answer) == _outcome(connexion, answer)
    finally:
        _operation.reset(token)


def test_request_ids_are_version_4_uuids_never_repeated():
    ids = [new_request_id() for _ in range(5000)]
    assert len(set(ids)) == len(ids)
    for text in ids[:200]:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, text)


def test_a_forked_worker_draws_request_ids_of_its_own():
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the worker: its next id, to the parent
        os.write(write, new_request_id().encode())
        os._exit(0)
    os.close(write)
    mine = new_request_id()
    theirs = os.read(read, 100).decode()
    os.waitpid(child, 0)
    os.close(read)
    assert theirs and theirs != mine


def test_a_remembered_route_is_the_route_found_by_matching():
    spec = {"paths": {"/cars": {"get": {}}, "/cars/{Id}": {"get": {}, "put": {"requestBody": {}}}}}
    profile = SimpleNamespace(base_path="/api")
    table = RouteTable([(profile, spec)])
    for _ in range(2):
        assert table.allowed_methods("/api/cars/") == ("GET",)
        assert table.allowed_methods("/api/cars/7") == ("GET", "PUT")
        assert table.reads_body("/api/cars/7", "PUT") and not table.reads_body("/api/cars/7", "GET")
        assert table.allowed_methods("/api/nothing") == ()
