"""The one place where errors become responses: Connexion's and our own, for whichever profile the
request's path belongs to. Each profile renders in its vendor's format; this module only decides whose
renderer runs and translates framework errors into domain errors first."""

from __future__ import annotations

import json
import logging

from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from starlette.exceptions import HTTPException

from mockserver.engine.errors import (
    DomainError,
    Forbidden,
    InternalError,
    InvalidInput,
    MethodNotAllowed,
    Unauthenticated,
    Unavailable,
    UnknownRoute,
    UnsupportedMediaType,
)
from mockserver.engine.store import StoreUnavailable

from .context import trace_of
from .profile import Profile
from .rendering import RequestFacts
from .routes import RouteTable

logger = logging.getLogger("fleetbox")


def from_http_exception(exc: HTTPException, allowed: tuple[str, ...]) -> DomainError:
    """Translate what Connexion and Starlette raise into the domain's words."""
    detail = str(exc.detail) if exc.detail else ""
    status = exc.status_code
    if status == 401:
        missing = "No authorization token provided" in detail
        return Unauthenticated(detail, Unauthenticated.MISSING if missing else Unauthenticated.INVALID)
    if status == 403:
        return Forbidden(detail)
    if status == 404:
        return UnknownRoute(detail or "Not Found")
    if status == 405:
        return MethodNotAllowed(detail or "Method Not Allowed", allowed)
    if status == 415:
        return UnsupportedMediaType(detail)
    if 400 <= status < 500:
        return InvalidInput(detail or "The request is invalid.")
    return InternalError(detail or "Internal Server Error")


class ErrorDispatcher:
    """Connexion error handlers that render with the profile owning the request's path."""

    def __init__(self, routes: RouteTable, fallback: Profile) -> None:
        self._routes = routes
        self._fallback = fallback

    def install(self, app) -> None:
        app.add_error_handler(DomainError, self.on_domain_error)
        app.add_error_handler(StoreUnavailable, self.on_store_unavailable)
        app.add_error_handler(ProblemException, self.on_http_exception)
        app.add_error_handler(HTTPException, self.on_http_exception)
        app.add_error_handler(Exception, self.on_crash)

    async def on_domain_error(self, request: ConnexionRequest, exc: DomainError) -> ConnexionResponse:
        return self.render(request, exc)

    async def on_store_unavailable(self, request: ConnexionRequest, exc: StoreUnavailable) -> ConnexionResponse:
        logger.warning("answered %s %s with 503: %s", request.method, request.url.path, exc)
        return self.render(request, Unavailable())

    async def on_http_exception(self, request: ConnexionRequest, exc: HTTPException) -> ConnexionResponse:
        if exc.status_code >= 500:
            logger.error("server error on %s %s: %r", request.method, request.url.path, exc)
        allowed = self._routes.allowed_methods(request.url.path) if exc.status_code == 405 else ()
        return self.render(request, from_http_exception(exc, allowed))

    async def on_crash(self, request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        logger.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return self.render(request, InternalError("An unexpected error occurred."))

    def render(self, request: ConnexionRequest, error: DomainError) -> ConnexionResponse:
        profile = self._routes.profile_for(request.url.path) or self._fallback
        facts = RequestFacts(
            method=request.method,
            url=str(request.url),
            path=request.url.path,
            content_type=request.headers.get("content-type", ""),
            trace=trace_of(request.scope),
        )
        rendered = profile.render_error(error, facts)  # with its headers (`Allow`, `Retry-After`): http/rendering.py
        return ConnexionResponse(
            status_code=rendered.status,
            mimetype=rendered.content_type,
            content_type=rendered.content_type,
            body=json.dumps(rendered.body, separators=(",", ":")).encode(),
            headers=dict(rendered.headers),
        )
