"""Trimble's error format, in one place: `{"message": ...}` with the status the vendor (or, where it is
silent, ASP.NET Web API, which the vendor's API evidently runs on) would send."""

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
    UnknownRoute,
    Unprocessable,
    UnsupportedMediaType,
)
from mockserver.http.rendering import Answer, ErrorRenderer, Row

from .contract import NAME

DENIED = "Authorization has been denied for this request."

# The vendor answers permission problems with 400 (documented for GET /accounts with a
# non-partner token), so Forbidden is a 400 here. The vendor has no error codes, only statuses.
TABLE = {
    InvalidInput: Row(400),
    Forbidden: Row(400),
    Unprocessable: Row(400),
    Unauthenticated: Row(401),
    NotFound: Row(404),
    MethodNotAllowed: Row(405),
    Conflict: Row(409),
    PayloadTooLarge: Row(413),
    UnsupportedMediaType: Row(415),
    NotAcceptable: Row(406),
    # The vendor documents no quota; fleetbox applies one only when the control plane sets it.
    RateLimited: Row(429),
    InternalError: Row(500),
    InjectedFault: Row(None),
}
# ASP.NET Web API's wording of the errors the framework, not the vendor's code, reports.
TEMPLATES = {
    Unauthenticated: DENIED,
    UnknownRoute: "No HTTP resource was found that matches the request URI '{request.url}'.",
    MethodNotAllowed: "The requested resource does not support http method '{request.method}'.",
    UnsupportedMediaType: lambda error, request: (
        f"The request entity's media type '{request.media_type or '(none)'}' is not supported for this resource."
    ),
    InternalError: "An error has occurred.",
}


def body(answer: Answer) -> dict:
    shown: dict = {"message": answer.message}
    if answer.fields:
        shown["errors"] = [{"field": f.field, "message": f.message} for f in answer.fields]
    return shown


render_error = ErrorRenderer(NAME, TABLE, body, TEMPLATES)
