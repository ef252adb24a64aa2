"""INVERS' error format, in one place: every error of the profile as a problem document
`{type, type_documentation, title, status, detail, flow_id}` whose `flow_id` is the request's
`X-INVERS-Flow-ID`."""

from __future__ import annotations

import uuid

from mockserver.engine.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InjectedFault,
    InvalidInput,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    Unauthenticated,
    Unprocessable,
    UnsupportedMediaType,
)
from mockserver.http.errors import InternalError, UnknownRoute
from mockserver.http.profile import Rendered, RequestFacts

from . import problems
from .problems import ProblemType

MEDIA_TYPE = "application/problem+json"

# The problem type of each generic domain error; the profile's own errors name theirs (`.problem`).
BY_KIND: tuple[tuple[type[DomainError], ProblemType], ...] = (
    (InvalidInput, problems.VALIDATION_ERROR),
    (Unprocessable, problems.VALIDATION_ERROR),
    (Forbidden, problems.MISSING_PERMISSIONS),
    (NotFound, problems.RESOURCE_NOT_FOUND),
    (MethodNotAllowed, problems.METHOD_NOT_ALLOWED),
    (Conflict, problems.CONFLICTING_STATE),
    (PayloadTooLarge, problems.PAYLOAD_TOO_LARGE),
    (UnsupportedMediaType, problems.UNSUPPORTED_MEDIA_TYPE),
    (RateLimited, problems.TOO_MANY_REQUESTS),
    (InternalError, problems.INTERNAL_SERVER_ERROR),
)


def problem_type_of(error: DomainError) -> ProblemType:
    if isinstance(error, InjectedFault):
        return problems.for_status(error.status)
    if isinstance(error, Unauthenticated):
        return problems.MISSING_CREDENTIALS if error.reason == Unauthenticated.MISSING else problems.INVALID_CREDENTIALS
    named = getattr(error, "problem", None)
    if named is not None:
        return named
    return next((problem for kind, problem in BY_KIND if isinstance(error, kind)), problems.VALIDATION_ERROR)


def detail_of(error: DomainError, request: RequestFacts) -> str:
    """The message for the API's user; framework errors are reworded in the API's terms."""
    if isinstance(error, UnknownRoute):
        return f"No resource matches {request.method} {request.path}."
    if isinstance(error, MethodNotAllowed):
        allowed = f" (allowed: {', '.join(error.allowed)})" if error.allowed else ""
        return f"{request.path} does not support {request.method}{allowed}."
    if isinstance(error, UnsupportedMediaType):
        media_type = request.content_type.split(";")[0].strip() or "none"
        return f"The body's media type ({media_type}) is not one this operation reads."
    if isinstance(error, Unauthenticated) and error.reason == Unauthenticated.MISSING:
        return "The request has no Authorization header with the credentials it needs."
    if isinstance(error, InternalError):
        return "An unexpected error occurred; the flow id identifies it in the server's log."
    return error.message


def render_error(error: DomainError, request: RequestFacts) -> Rendered:
    problem = problem_type_of(error)
    flow_id = request.trace.request_id if request.trace is not None else str(uuid.uuid4())
    body: dict = {
        "type": problem.type,
        "type_documentation": problem.documentation,
        "title": problem.title,
        "status": problem.status,
        "detail": detail_of(error, request),
        "flow_id": flow_id,
    }
    if isinstance(error, InvalidInput) and error.fields:
        body["errors"] = [{"field": f.field, "message": f.message} for f in error.fields]
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, RateLimited) else {}
    return Rendered(problem.status, body, content_type=MEDIA_TYPE, headers=headers)
