"""Handlers of openapi/hourfleet.yaml, one module per resource; function names are the snake_case
operationIds. Each unpacks the request, makes one call on the world, and returns its JSON-ready answer
(through `answer`, or `cached` for a GET with its caching headers); the shared http code checks the roles
each operation admits and writes the answer in the negotiated format (`Profile.formats`)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from connexion import NoContent

from conformance.contract import load_spec
from mockserver.http.context import current_trace
from mockserver.http.formats import chosen
from mockserver.http.request import current

from ..contract import CONTRACT
from ..records import Caller
from ..search import SearchQuery
from ..world import NAME, HourfleetWorld

BASE_PATH = CONTRACT.base_path


def session(token_info: dict) -> tuple[HourfleetWorld, Caller]:
    """The world and caller a verified token stands for."""
    return token_info["sandbox"].world(NAME), token_info["sub"]


def search_query(Sort=None, Filter=None, Limit=0, Offset=0, Distinct=None) -> SearchQuery:
    # A `+` in a raw query string arrives as a space: `sort=+Make` means ascending.
    return SearchQuery(Sort.strip() if Sort else None, Filter, Limit, Offset, Distinct)


def request_id() -> str | None:
    trace = current_trace()
    return trace.request_id if trace is not None else None


def answer(body: dict, status: int = 200, headers: dict | None = None):
    """`body` with its status and headers; the shared http code writes it in the negotiated format."""
    return body, status, headers or {}


def created(body: dict, path: str):
    """201 with the new resource and its `Location`."""
    location = current().host_url.rstrip("/") + BASE_PATH + path
    return answer(body, 201, {"Location": location})


def cache_controls(spec: dict) -> dict[str, str]:
    """Each GET's `Cache-Control`, the one value its spec's 200 response declares (max-age per API,
    `private` when the answer depends on the caller)."""
    components = spec["components"]["headers"]
    controls = {}
    for item in spec["paths"].values():
        declared = item.get("get", {}).get("responses", {}).get("200", {}).get("headers", {}).get("Cache-Control")
        if declared is not None:
            header = components[declared["$ref"].rsplit("/", 1)[-1]] if "$ref" in declared else declared
            controls[item["get"]["operationId"]] = header["schema"]["enum"][0]
    return controls


CACHE_CONTROLS = cache_controls(load_spec(CONTRACT.spec))


def caching_headers(etag: str) -> dict[str, str]:
    """What ServiceStack's `[CacheResponse(MaxAge=..)]` answers a GET (and repeats on its 304): the ETag,
    `Cache-Control` with the API's max-age, and for a per-caller answer `private` and a `Vary` on the
    token (ServiceStack's `VaryByUser` varies by its session cookie; Hourfleet callers send a bearer token)."""
    control = CACHE_CONTROLS[current().operation_id]
    headers = {"ETag": etag, "Cache-Control": control}
    if "private" in control:
        headers["Vary"] = "Authorization"
    return headers


def _etag(version: str, caller: Caller) -> str:
    """Depends on the resources' versions, the caller (views vary by caller) and the whole query."""
    request = current()
    seed = "|".join((version, caller.principal, chosen(), request.query_string.decode("latin-1")))
    return '"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


def cached(world: HourfleetWorld, caller: Caller, keys: tuple[str, ...], build: Callable[[], dict]):
    """A GET: 304 when `If-None-Match` holds the current ETag, else the body `build` makes; both with the
    caching headers. A write changes the ETag, so no max-age ever hides it from a client that revalidates."""
    etag = _etag(world.version_of(*keys), caller)
    if _matches(current().headers.get("If-None-Match", ""), etag):
        return NoContent, 304, caching_headers(etag)
    return answer(build(), 200, caching_headers(etag))


def no_content():
    return NoContent, 204
