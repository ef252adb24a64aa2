"""Handlers of openapi/invers.yaml, one module per resource; function names are the snake_case
operationIds. Each unpacks the request, makes one call on the world, and returns its answer with an
explicit Content-Type (every operation also declares problem+json, so Connexion cannot infer it)."""

from __future__ import annotations

from datetime import datetime

from fixtures.invers import parse_rfc3339
from mockserver.engine.errors import FieldError, InvalidInput
from mockserver.http.context import current_trace

from ..records import Client
from ..world import NAME, InversWorld

JSON = {"Content-Type": "application/json"}


def session(token_info: dict) -> tuple[InversWorld, Client]:
    """The world and API client a verified token stands for."""
    return token_info["sandbox"].world(NAME), token_info["sub"]


def flow_id() -> str | None:
    """The request's flow id, which the events it causes carry."""
    trace = current_trace()
    return trace.request_id if trace is not None else None


def instant(text: str | None, field: str) -> datetime | None:
    """A timestamp the spec accepted as RFC 3339, as a datetime (None stays None)."""
    if text is None:
        return None
    try:
        return parse_rfc3339(text)
    except (ValueError, OverflowError):
        message = f"{text!r} is not a date and time fleetbox can use."
        raise InvalidInput(f"{field}: {message}", (FieldError(field, message),)) from None
