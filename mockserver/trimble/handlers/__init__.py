"""Handlers of openapi/trimble.yaml, one module per resource; function names are the snake_case
operationIds. Each unpacks the request, makes one call on the world, and returns its answer."""

from __future__ import annotations

import functools
from urllib.parse import quote

from mockserver.http.request import current

from ..contract import NAME
from ..paging import collection
from ..records import Caller
from ..world import TrimbleWorld

# Query parameters repeated in paging links when the request gave them.
CARRIED_PARAMETERS = ("sortExpression", "sortDirection")


def session(token_info: dict) -> tuple[TrimbleWorld, Caller]:
    """The world and caller a verified token stands for."""
    return token_info["sandbox"].world(NAME), token_info["sub"]


def page(items: list[dict], total: int, offset: int, limit: int) -> dict:
    """The collection envelope around one page, with links built from this request's URL."""
    request = current()
    carried = {name: request.args[name] for name in CARRIED_PARAMETERS if name in request.args}
    return collection(items, total, offset, limit, request_url(), request.base_url, carried)


def request_url() -> str:
    """This request's URL as a valid URI: the query exactly as sent, with anything unsafe escaped."""
    request = current()
    query = _escaped(request.query_string)
    return f"{request.base_url}?{query}" if query else request.base_url


@functools.lru_cache(maxsize=4096)  # clients repeat their queries
def _escaped(query_string: bytes) -> str:
    return quote(query_string.decode("latin-1"), safe="/?:@!$&'()*+,;=%-._~")
