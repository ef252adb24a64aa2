"""Handlers of openapi/hourfleet.yaml, one module per resource; function names are the snake_case
operationIds. Each unpacks the request, makes one call on the world, and answers through `answer`
(the negotiated format) or `cached` (a GET with its ETag)."""

from __future__ import annotations

import functools
import hashlib
from typing import Callable

import flask
import inflection
from connexion import NoContent

from conformance.contract import load_spec
from mockserver.engine.errors import Forbidden
from mockserver.http.context import current_trace
from mockserver.http.formats import MEDIA_TYPES, negotiate, write

from ..contract import CONTRACT
from ..errors import NotAcceptable
from ..records import Caller
from ..search import SearchQuery
from ..world import PROFILE, HourfleetWorld

BASE_PATH = CONTRACT.base_path
FORMAT_KEY = "hourfleet.format"


def _roles_by_operation() -> dict[str, frozenset[str]]:
    """Each operation's roles, as the spec's `x-fleetbox-roles` states them."""
    spec = load_spec(CONTRACT.spec)
    return {
        operation["operationId"]: frozenset(operation["x-fleetbox-roles"])
        for item in spec["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "x-fleetbox-roles" in operation
    }


ROLES = _roles_by_operation()


def guarded(handler: Callable) -> Callable:
    """Admit only the roles the spec gives the handler's operation, and settle the response format
    before anything changes (so an unacceptable `Accept` header changes nothing)."""
    operation_id = inflection.camelize(handler.__name__, False)
    allowed = ROLES[operation_id]

    @functools.wraps(handler)
    def checked(*args, token_info: dict, **kwargs):
        caller: Caller = token_info["sub"]
        if not caller.roles & allowed:
            raise Forbidden(f"This operation is for the role(s) {', '.join(sorted(allowed))}; the token has {', '.join(sorted(caller.roles))}.")
        chosen = negotiate(flask.request.args.get("format"), flask.request.headers.get("Accept"))
        if chosen is None:
            raise NotAcceptable("The Accept header names no format this API writes: use application/json, application/xml, text/csv, text/jsv or text/html.")
        flask.g.setdefault(FORMAT_KEY, chosen)
        return handler(*args, token_info=token_info, **kwargs)

    return checked


def session(token_info: dict) -> tuple[HourfleetWorld, Caller]:
    """The world and caller a verified token stands for."""
    return token_info["sandbox"].world(PROFILE), token_info["sub"]


def search_query(Sort=None, Filter=None, Limit=0, Offset=0, Distinct=None) -> SearchQuery:
    # A `+` in a raw query string arrives as a space: `sort=+Make` means ascending.
    return SearchQuery(Sort.strip() if Sort else None, Filter, Limit, Offset, Distinct)


def request_id() -> str | None:
    trace = current_trace()
    return trace.request_id if trace is not None else None


def answer(body: dict, status: int = 200, headers: dict | None = None):
    """`body` in the negotiated format, with exactly the media type the spec declares."""
    chosen = flask.g.get(FORMAT_KEY, "json")
    title = f"{next(iter(body))}Response"
    # The same URL answers in several formats, so caches must key on Accept too.
    return write(chosen, body, title), status, {**(headers or {}), "Content-Type": MEDIA_TYPES[chosen], "Vary": "Accept"}


def created(body: dict, path: str):
    """201 with the new resource and its `Location`."""
    location = flask.request.host_url.rstrip("/") + BASE_PATH + path
    return answer(body, 201, {"Location": location})


def _etag(version: str, caller: Caller) -> str:
    """Depends on the resources' versions, the caller (views vary by caller) and the whole query."""
    request = flask.request
    seed = "|".join((version, caller.principal, flask.g.get(FORMAT_KEY, "json"), request.query_string.decode("latin-1")))
    return '"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


def cached(world: HourfleetWorld, caller: Caller, keys: tuple[str, ...], build: Callable[[], dict]):
    """A GET: 304 when `If-None-Match` holds the current ETag, else the body `build` makes, tagged."""
    etag = _etag(world.version_of(*keys), caller)
    if _matches(flask.request.headers.get("If-None-Match", ""), etag):
        return NoContent, 304, {"ETag": etag, "Content-Type": MEDIA_TYPES[flask.g.get(FORMAT_KEY, "json")]}
    return answer(build(), 200, {"ETag": etag})


def no_content():
    return NoContent, 204


from . import bookings, cars, oauth, useraccounts, webhooks  # noqa: E402  (they import the helpers above)
