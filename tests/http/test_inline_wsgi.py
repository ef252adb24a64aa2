"""InlineWSGI (http/inline_wsgi.py): the Flask app run on the event loop's thread, for routed requests only."""

from __future__ import annotations

import pytest
from connexion.middleware.routing import ROUTING_CONTEXT
from starlette.exceptions import HTTPException

from mockserver.http.inline_wsgi import InlineWSGI

from .asgi import call, scope_of


def routed(method: str, path: str, operation_id: str | None = "listThings") -> dict:
    scope = scope_of(method, path, headers={"content-type": "text/plain"})
    scope.update(http_version="1.1", scheme="http", server=("127.0.0.1", 80), client=("127.0.0.1", 5000), root_path="")
    scope["extensions"] = {ROUTING_CONTEXT: {"operation_id": operation_id}}
    return scope


def echo(environ, start_response):
    body = environ["wsgi.input"].read()
    start_response("201 Created", [("Content-Type", "text/plain"), ("X-Method", environ["REQUEST_METHOD"])])
    return [b"got ", body]


def test_a_routed_request_is_answered_by_the_wsgi_app_with_its_whole_body():
    sent = call(InlineWSGI(echo), routed("POST", "/things"), b"part one, ", b"part two")
    assert sent[0]["status"] == 201
    assert (b"x-method", b"POST") in sent[0]["headers"] and (b"content-type", b"text/plain") in sent[0]["headers"]
    assert sent[1] == {"type": "http.response.body", "body": b"got part one, part two"}


def test_a_request_no_operation_matched_never_reaches_the_app():
    def never(environ, start_response):
        raise AssertionError("reached the WSGI app")

    with pytest.raises(HTTPException) as refused:
        call(InlineWSGI(never), routed("GET", "/things\n", operation_id=None))
    assert refused.value.status_code == 404
