"""Dispatch (http/dispatch.py) and Request (http/request.py): handlers called without Flask, through
Connexion's decorators, answered as Flask's response class would, reading their request as before."""

from __future__ import annotations

import asyncio

import pytest
from connexion.middleware.routing import ROUTING_CONTEXT
from starlette.exceptions import HTTPException

from mockserver.http.dispatch import DirectFramework, Dispatch
from mockserver.http.request import Request

from .asgi import call, scope_of


def test_a_request_no_operation_matched_never_reaches_a_handler():
    scope = scope_of("GET", "/things\n")
    scope["extensions"] = {ROUTING_CONTEXT: {"operation_id": None}}
    with pytest.raises(HTTPException) as refused:
        call(Dispatch({}, jsonifier=None), scope)
    assert refused.value.status_code == 404


def test_the_lifespan_protocol_is_answered():
    messages = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict] = []

    async def receive():
        return messages.pop(0)

    async def send(message):
        sent.append(message)

    asyncio.run(Dispatch({}, jsonifier=None)({"type": "lifespan"}, receive, send))
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def headers_of(answer) -> dict[str, str]:
    return {name.decode(): value.decode() for name, value in answer.headers}


def test_answers_are_written_as_flask_wrote_them():
    json = DirectFramework.build_response('{"a":1}', content_type="application/json", status_code=201)
    assert (json.status, json.body) == (201, b'{"a":1}')
    assert headers_of(json) == {"content-type": "application/json", "content-length": "7"}

    text = DirectFramework.build_response("a,b", content_type="text/csv", headers={"Vary": "Accept"})
    assert headers_of(text)["content-type"] == "text/csv; charset=utf-8" and text.status == 200

    # A 304 keeps its validators but no entity headers; a 204 has no body.
    not_modified = DirectFramework.build_response(
        None, content_type="application/json", headers={"ETag": '"x"', "Cache-Control": "max-age=5"}, status_code=304
    )
    assert headers_of(not_modified) == {"etag": '"x"', "cache-control": "max-age=5"} and not_modified.body == b""
    assert DirectFramework.build_response(None, status_code=204).body == b""

    moved = DirectFramework.build_response("{}", content_type="application/json", headers={"Location": "/cars/ü"})
    assert headers_of(moved)["location"] == "/cars/%C3%BC"


def request(query: bytes = b"", headers: dict | None = None, path: str = "/api/v1/cars") -> Request:
    scope = scope_of("GET", path, query, {"host": "sandbox.test:8080", **(headers or {})})
    scope.update(scheme="http", server=("127.0.0.1", 8080), root_path="")
    return Request(scope, b"", "listCars", uri_parser=None, state={})


def test_a_request_reads_as_flask_request_did():
    seen = request(b"Limit=5&Sort=Make&Sort=Model&empty=", {"If-None-Match": '"abc"'})
    assert seen.args["Sort"] == "Make" and seen.args.getlist("Sort") == ["Make", "Model"]
    assert seen.args.get("empty") == "" and "missing" not in seen.args
    assert seen.headers.get("if-none-match") == '"abc"'
    assert seen.base_url == "http://sandbox.test:8080/api/v1/cars"
    assert seen.host_url == "http://sandbox.test:8080/"
    assert seen.full_path == "/api/v1/cars?Limit=5&Sort=Make&Sort=Model&empty="
    assert request(path="/api/v1/cars/a b").base_url == "http://sandbox.test:8080/api/v1/cars/a%20b"


def test_a_json_body_is_read_as_validation_read_it_or_none_like_werkzeugs_silent_get_json():
    def body_of(raw: bytes, content_type: str = "application/json"):
        scope = scope_of("POST", "/x", headers={"content-type": content_type})
        return Request(scope, raw, "op", uri_parser=None, state={}).get_body()

    assert body_of(b'[{"a": 1}]') == [{"a": 1}]
    assert body_of(b"[" * 100 + b"]" * 100) is None  # deeper than json_input allows
    assert body_of(b"") is None and body_of(b"{not json") is None
    assert body_of(b"raw bytes", "application/octet-stream") == b"raw bytes"
