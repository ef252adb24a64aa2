"""The control plane's errors: RFC 7807 problem documents (it is fleetbox's own API, not a vendor's)."""

from __future__ import annotations

import dataclasses
from http import HTTPStatus

from mockserver.engine.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InjectedFault,
    InternalError,
    InvalidInput,
    MethodNotAllowed,
    NotAcceptable,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    Unauthenticated,
    Unprocessable,
    UnsupportedMediaType,
)
from mockserver.http.rendering import Answer, ErrorRenderer, Rendered, RequestFacts, Row

from .access import challenge

# PayloadTooLarge and InjectedFault never reach the control plane (bodies and faults are limited to
# the vendor APIs); they have their natural statuses here all the same.
TABLE = {
    InvalidInput: Row(400),
    Unauthenticated: Row(401),
    Forbidden: Row(403),
    NotFound: Row(404),
    MethodNotAllowed: Row(405),
    Conflict: Row(409),
    PayloadTooLarge: Row(413),
    UnsupportedMediaType: Row(415),
    NotAcceptable: Row(406),
    Unprocessable: Row(422),
    RateLimited: Row(429),
    InternalError: Row(500),
    InjectedFault: Row(None),
}


def title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a status Python has no name for (an injected 599)
        return f"HTTP {status}"


def body(answer: Answer) -> dict:
    status = answer.status
    problem: dict = {"type": "about:blank", "title": title(status), "status": status, "detail": answer.message}
    if answer.fields:
        problem["errors"] = [{"field": f.field, "message": f.message} for f in answer.fields]
    return problem


_render = ErrorRenderer("control", TABLE, body, content_type="application/problem+json")


def render_problem(error: DomainError, request: RequestFacts) -> Rendered:
    """The problem document; a refused bearer also gets its `WWW-Authenticate` challenge (RFC 6750)."""
    rendered = _render(error, request)
    if isinstance(error, (Unauthenticated, Forbidden)):
        return dataclasses.replace(rendered, headers={**rendered.headers, "WWW-Authenticate": challenge(error)})
    return rendered
