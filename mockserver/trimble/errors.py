"""Trimble's error format, in one place: `{"message": ...}` with the status the vendor (or, where it is
silent, ASP.NET Web API, which the vendor's API evidently runs on) would send."""

from __future__ import annotations

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

DENIED = "Authorization has been denied for this request."

# The vendor answers permission problems with 400 (documented for GET /accounts with a
# non-partner token), so Forbidden is a 400 here.
STATUS = {
    InvalidInput: 400,
    Forbidden: 400,
    Unprocessable: 400,
    NotFound: 404,
    Conflict: 409,
    PayloadTooLarge: 413,
}


def render_error(error: DomainError, request: RequestFacts) -> Rendered:
    if isinstance(error, Unauthenticated):
        return Rendered(401, {"message": DENIED})
    if isinstance(error, UnknownRoute):
        return Rendered(404, {"message": f"No HTTP resource was found that matches the request URI '{request.url}'."})
    if isinstance(error, MethodNotAllowed):
        return Rendered(405, {"message": f"The requested resource does not support http method '{request.method}'."})
    if isinstance(error, UnsupportedMediaType):
        media_type = request.content_type.split(";")[0].strip() or "(none)"
        return Rendered(415, {"message": f"The request entity's media type '{media_type}' is not supported for this resource."})
    if isinstance(error, InternalError):
        return Rendered(500, {"message": "An error has occurred."})
    if isinstance(error, InjectedFault):
        return Rendered(error.status, {"message": error.message})
    if isinstance(error, RateLimited):
        # The vendor documents no quota; fleetbox applies one only when the control plane sets it.
        return Rendered(429, {"message": error.message}, headers={"Retry-After": str(error.retry_after)})
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
    body: dict = {"message": error.message}
    if isinstance(error, InvalidInput) and error.fields:
        body["errors"] = [{"field": f.field, "message": f.message} for f in error.fields]
    return Rendered(status, body)
