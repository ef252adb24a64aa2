"""Hourfleet's error format, in one place: `{"ResponseStatus": {ErrorCode, Message, Errors, Meta}}`,
as ServiceStack writes it, with the status ServiceStack gives each kind of error."""

from __future__ import annotations

from mockserver.engine.errors import (
    Conflict,
    DomainError,
    FieldError,
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
from mockserver.http.formats import NotAcceptable
from mockserver.http.profile import Rendered, RequestFacts


class OAuthError(DomainError):
    """A refusal of the OAuth 2 endpoints, with its standard error code (`invalid_grant`, ...)."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


# (status, ErrorCode) per kind of error; the first match wins.
KINDS: tuple[tuple[type, int, str], ...] = (
    (Unauthenticated, 401, "Unauthorized"),
    (Forbidden, 403, "Forbidden"),
    (UnknownRoute, 404, "NotFound"),
    (NotFound, 404, "NotFound"),
    (MethodNotAllowed, 405, "MethodNotAllowed"),
    (NotAcceptable, 406, "NotAcceptable"),
    (Conflict, 409, "Conflict"),
    (PayloadTooLarge, 413, "RequestEntityTooLarge"),
    (UnsupportedMediaType, 415, "UnsupportedMediaType"),
    (RateLimited, 429, "TooManyRequests"),
    (InternalError, 500, "InternalServerError"),
    (Unprocessable, 400, "ArgumentException"),
    (InvalidInput, 400, "ArgumentException"),
)
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
UNAUTHENTICATED = {
    Unauthenticated.MISSING: "This operation needs an access token: send Authorization: Bearer <access_token>.",
    Unauthenticated.INVALID: "The access token is not known.",
    Unauthenticated.EXPIRED: "The access token has expired; get a new one from /oauth/token.",
}


def _field(error: FieldError) -> dict:
    code = FIELD_CODES.get(error.code, error.code or "Invalid")
    return {"ErrorCode": code, "FieldName": error.field, "Message": error.message, "Meta": {}}


def response_status(error_code: str, message: str, errors: list[dict], request: RequestFacts) -> dict:
    meta = {"RequestId": request.trace.request_id} if request.trace is not None else {}
    return {"ResponseStatus": {"ErrorCode": error_code, "Message": message, "Errors": errors, "Meta": meta}}


def render_error(error: DomainError, request: RequestFacts) -> Rendered:
    if isinstance(error, OAuthError):
        return Rendered(error.status, response_status(error.code, error.message, [], request))
    if isinstance(error, InjectedFault):
        return Rendered(error.status, response_status("InjectedFault", error.message, [], request))
    status, code = next(((s, c) for kind, s, c in KINDS if isinstance(error, kind)), (400, "ArgumentException"))
    message, headers, errors = error.message, {}, []
    if isinstance(error, Unauthenticated):
        message = UNAUTHENTICATED.get(error.reason, message)
    elif isinstance(error, UnknownRoute):
        message = f"Handler for Request not found: {request.method} {request.path}"
    elif isinstance(error, MethodNotAllowed):
        message = f"The HTTP method {request.method} is not supported here; this resource supports {', '.join(error.allowed) or 'no method'}."
    elif isinstance(error, UnsupportedMediaType):
        media_type = request.content_type.split(";")[0].strip() or "(none)"
        message = f"The content type '{media_type}' is not supported: send application/json or application/x-www-form-urlencoded."
    elif isinstance(error, InternalError):
        message = "An unexpected error occurred."
    elif isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    elif isinstance(error, InvalidInput) and error.fields:
        errors = [_field(field) for field in error.fields]
        code = errors[0]["ErrorCode"]
    return Rendered(status, response_status(code, message, errors, request), headers=headers)
