"""tinyfleet's error format: `{"error": {"code", "message"}}`, the code naming the kind of error."""

from __future__ import annotations

from mockserver.engine.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InjectedFault,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    Unauthenticated,
    UnsupportedMediaType,
)
from mockserver.http.errors import InternalError
from mockserver.http.profile import Rendered, RequestFacts

KINDS = (
    (Unauthenticated, 401, "unauthenticated"),
    (Forbidden, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (MethodNotAllowed, 405, "method_not_allowed"),
    (Conflict, 409, "conflict"),
    (PayloadTooLarge, 413, "payload_too_large"),
    (UnsupportedMediaType, 415, "unsupported_media_type"),
    (RateLimited, 429, "rate_limited"),
    (InternalError, 500, "internal"),
)


def render_error(error: DomainError, request: RequestFacts) -> Rendered:
    if isinstance(error, InjectedFault):
        return Rendered(error.status, {"error": {"code": "injected", "message": error.message}})
    status, code = next(((s, c) for kind, s, c in KINDS if isinstance(error, kind)), (400, "invalid"))
    return Rendered(status, {"error": {"code": code, "message": error.message}})
