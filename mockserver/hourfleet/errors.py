"""Hourfleet's error format, in one place: `{"ResponseStatus": {ErrorCode, Message, Errors, Meta}}`,
as ServiceStack writes it, with the status ServiceStack gives each kind of error."""

from __future__ import annotations

from operator import attrgetter

from mockserver.engine.errors import (
    Conflict,
    DomainError,
    FieldError,
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
from mockserver.http.rendering import Answer, ErrorRenderer, RequestFacts, Row

from .contract import NAME


class OAuthError(DomainError):
    """A refusal of the OAuth 2 endpoints, with its standard error code (`invalid_grant`, ...)."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


# (status, ErrorCode) of each kind of error; an OAuth refusal and an injected fault bring their status.
TABLE = {
    Unauthenticated: Row(401, "Unauthorized"),
    Forbidden: Row(403, "Forbidden"),
    NotFound: Row(404, "NotFound"),
    MethodNotAllowed: Row(405, "MethodNotAllowed"),
    NotAcceptable: Row(406, "NotAcceptable"),
    Conflict: Row(409, "Conflict"),
    PayloadTooLarge: Row(413, "RequestEntityTooLarge"),
    UnsupportedMediaType: Row(415, "UnsupportedMediaType"),
    RateLimited: Row(429, "TooManyRequests"),
    InternalError: Row(500, "InternalServerError"),
    Unprocessable: Row(400, "ArgumentException"),
    InvalidInput: Row(400, "ArgumentException"),
    OAuthError: Row(None, attrgetter("code")),
    InjectedFault: Row(None, "InjectedFault"),
}
# JSON Schema keywords as the FluentValidation codes ServiceStack reports for field errors.
FIELD_CODES = {
    "required": "NotEmpty",
    "minLength": "Length",
    "maxLength": "Length",
    "minimum": "GreaterThanOrEqual",
    "maximum": "LessThanOrEqual",
    "pattern": "RegularExpression",
    "format": "RegularExpression",
    "enum": "Enum",
    "type": "InvalidType",
    "not": "NotUpdatable",
    "additionalProperties": "UnknownProperty",
    "minItems": "Length",
    "maxItems": "Length",
    "minProperties": "NotEmpty",
}
# ServiceStack's wording of the errors its framework reports (ours for the access-token ones).
TEMPLATES = {
    (Unauthenticated, Unauthenticated.MISSING): (
        "This operation needs an access token: send Authorization: Bearer <access_token>."
    ),
    (Unauthenticated, Unauthenticated.INVALID): "The access token is not known.",
    (Unauthenticated, Unauthenticated.EXPIRED): "The access token has expired; get a new one from /oauth/token.",
    UnknownRoute: "Handler for Request not found: {request.method} {request.path}",
    MethodNotAllowed: lambda error, request: (
        f"The HTTP method {request.method} is not supported here; "
        f"this resource supports {', '.join(error.allowed) or 'no method'}."
    ),
    UnsupportedMediaType: lambda error, request: (
        f"The content type '{request.media_type or '(none)'}' is not supported: "
        "send application/json or application/x-www-form-urlencoded."
    ),
    InternalError: "An unexpected error occurred.",
}


def _field(error: FieldError) -> dict:
    code = FIELD_CODES.get(error.code, error.code or "Invalid")
    return {"ErrorCode": code, "FieldName": error.field, "Message": error.message, "Meta": {}}


def response_status(error_code: str, message: str, errors: list[dict], request: RequestFacts) -> dict:
    meta = {"RequestId": request.trace.request_id} if request.trace is not None else {}
    return {"ResponseStatus": {"ErrorCode": error_code, "Message": message, "Errors": errors, "Meta": meta}}


def body(answer: Answer) -> dict:
    errors = [_field(field) for field in answer.fields]
    # ServiceStack names a validation failure by its first field's code.
    code = errors[0]["ErrorCode"] if errors else answer.code
    return response_status(code, answer.message, errors, answer.request)


render_error = ErrorRenderer(NAME, TABLE, body, TEMPLATES)
