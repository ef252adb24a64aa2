"""tinyfleet's error format: `{"error": {"code", "message"}}`, the code naming the kind of error."""

from __future__ import annotations

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
    Unprocessable,
    UnsupportedMediaType,
)
from mockserver.http.rendering import Answer, ErrorRenderer, Row

TABLE = {
    InvalidInput: Row(400, "invalid"),
    Unprocessable: Row(400, "invalid"),
    Unauthenticated: Row(401, "unauthenticated"),
    Forbidden: Row(403, "forbidden"),
    NotFound: Row(404, "not_found"),
    MethodNotAllowed: Row(405, "method_not_allowed"),
    Conflict: Row(409, "conflict"),
    PayloadTooLarge: Row(413, "payload_too_large"),
    UnsupportedMediaType: Row(415, "unsupported_media_type"),
    NotAcceptable: Row(406, "not_acceptable"),
    RateLimited: Row(429, "rate_limited"),
    InternalError: Row(500, "internal"),
    InjectedFault: Row(None, "injected"),
}


def body(answer: Answer) -> dict:
    return {"error": {"code": answer.code, "message": answer.message}}


render_error = ErrorRenderer("tinyfleet", TABLE, body)
