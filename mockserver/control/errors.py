"""The control plane's errors: RFC 7807 problem documents (it is fleetbox's own API, not a vendor's)."""

from __future__ import annotations

from http import HTTPStatus

from mockserver.engine.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    MethodNotAllowed,
    NotFound,
    RateLimited,
    Unauthenticated,
    Unprocessable,
    UnsupportedMediaType,
)
from mockserver.http.errors import InternalError
from mockserver.http.profile import Rendered, RequestFacts

STATUS = {
    InvalidInput: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    MethodNotAllowed: 405,
    Conflict: 409,
    UnsupportedMediaType: 415,
    Unprocessable: 422,
    RateLimited: 429,
    InternalError: 500,
}


def render_problem(error: DomainError, request: RequestFacts) -> Rendered:
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
    body: dict = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": error.message}
    if isinstance(error, InvalidInput) and error.fields:
        body["errors"] = [{"field": f.field, "message": f.message} for f in error.fields]
    return Rendered(status, body, content_type="application/problem+json")
