"""INVERS' error format, in one place: every error of the profile as a problem document
`{type, type_documentation, title, status, detail, flow_id}` whose `flow_id` is the request's
`X-INVERS-Flow-ID`."""

from __future__ import annotations

import uuid

from mockserver.engine.errors import (
    Conflict,
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
    UnknownRoute,
    Unprocessable,
    UnsupportedMediaType,
)
from mockserver.http.rendering import Answer, ErrorRenderer, Row

from . import problems
from .contract import NAME
from .problems import ProblemType

MEDIA_TYPE = "application/problem+json"


def row(problem: ProblemType) -> Row:
    return Row(problem.status, problem)


# The problem type of each kind of error: the engine's, and the profile's own, which name theirs.
TABLE = {
    InvalidInput: row(problems.VALIDATION_ERROR),
    Unprocessable: row(problems.VALIDATION_ERROR),
    Unauthenticated: row(problems.INVALID_CREDENTIALS),
    (Unauthenticated, Unauthenticated.MISSING): row(problems.MISSING_CREDENTIALS),
    Forbidden: row(problems.MISSING_PERMISSIONS),
    NotFound: row(problems.RESOURCE_NOT_FOUND),
    MethodNotAllowed: row(problems.METHOD_NOT_ALLOWED),
    Conflict: row(problems.CONFLICTING_STATE),
    PayloadTooLarge: row(problems.PAYLOAD_TOO_LARGE),
    UnsupportedMediaType: row(problems.UNSUPPORTED_MEDIA_TYPE),
    NotAcceptable: row(problems.NOT_ACCEPTABLE),
    RateLimited: row(problems.TOO_MANY_REQUESTS),
    InternalError: row(problems.INTERNAL_SERVER_ERROR),
    InjectedFault: Row(None, lambda fault: problems.for_status(fault.status)),
    **{kind: row(kind.problem) for kind in problems.KINDS},
}


def _method_not_allowed(error: MethodNotAllowed, request) -> str:
    allowed = f" (allowed: {', '.join(error.allowed)})" if error.allowed else ""
    return f"{request.path} does not support {request.method}{allowed}."


# The detail for the API's user; framework errors are reworded in the API's terms.
TEMPLATES = {
    UnknownRoute: "No resource matches {request.method} {request.path}.",
    MethodNotAllowed: _method_not_allowed,
    UnsupportedMediaType: lambda error, request: (
        f"The body's media type ({request.media_type or 'none'}) is not one this operation reads."
    ),
    (Unauthenticated, Unauthenticated.MISSING): (
        "The request has no Authorization header with the credentials it needs."
    ),
    InternalError: "An unexpected error occurred; the flow id identifies it in the server's log.",
}


def body(answer: Answer) -> dict:
    problem, trace = answer.code, answer.request.trace
    document: dict = {
        "type": problem.type,
        "type_documentation": problem.documentation,
        "title": problem.title,
        "status": problem.status,
        "detail": answer.message,
        "flow_id": trace.request_id if trace is not None else str(uuid.uuid4()),
    }
    if answer.fields:
        document["errors"] = [{"field": f.field, "message": f.message} for f in answer.fields]
    return document


render_error = ErrorRenderer(NAME, TABLE, body, TEMPLATES, content_type=MEDIA_TYPE)
