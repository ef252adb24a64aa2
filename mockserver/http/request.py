"""Request: what a handler may read of the request it serves, built lazily from the ASGI scope.

It stands in for both `flask.request` (what handlers read: arguments, headers, URLs, the operation) and
Connexion's request interface (what Connexion's parameter decorator reads: path, query, form and body,
resolved by the operation's own URI parser), so a handler runs without a WSGI environ or a Flask
request context (see http/dispatch.py for why).
"""

from __future__ import annotations

import functools
from contextvars import ContextVar
from functools import cached_property
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from werkzeug.sansio.utils import get_current_url, get_host

from . import json_input

FORM_MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

_current: ContextVar[Request] = ContextVar("fleetbox.request")


def current() -> Request:
    """The request the running handler serves."""
    return _current.get()


class Args(dict):
    """Query arguments as `flask.request.args` reads: the first value of each name (`getlist` for all)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.lists: dict[str, list[str]] = {}
        for name, value in pairs:
            self.lists.setdefault(name, []).append(value)
        super().__init__((name, values[0]) for name, values in self.lists.items())

    def getlist(self, name: str) -> list[str]:
        return self.lists.get(name, [])


# Where request validation leaves the query it resolved (http/validation.py), so it is resolved once.
RESOLVED_QUERY = "fleetbox.resolved_query"


class Request:
    """One routed request: its scope, body bytes, Connexion operation id and URI parser."""

    def __init__(self, scope: dict, body: bytes, operation_id: str, uri_parser, state: dict) -> None:
        self.scope = scope
        self.body = body
        self.operation_id = operation_id
        self.uri_parser = uri_parser
        self.state = state  # the app's shared objects (registry, profiles): http/context.py
        self.g: dict[str, Any] = {}  # per-request values handlers and wrappers pass along (flask.g's job)

    def bind(self):
        """Make this the current request; returns the token `unbind` takes."""
        return _current.set(self)

    @staticmethod
    def unbind(token) -> None:
        _current.reset(token)

    # What handlers read (flask.request's names) ------------------------------------------------------
    @cached_property
    def headers(self) -> Headers:
        return Headers(scope=self.scope)

    @cached_property
    def query_string(self) -> bytes:
        return self.scope.get("query_string", b"")

    @cached_property
    def args(self) -> Args:
        return Args(parse_qsl(self.query_string.decode("latin-1"), keep_blank_values=True))

    @property
    def method(self) -> str:
        return self.scope["method"]

    @property
    def path(self) -> str:
        return self.scope["path"]

    @cached_property
    def _host(self) -> str:
        return get_host(self.scope["scheme"], self.headers.get("host"), self.scope.get("server"))

    @cached_property
    def base_url(self) -> str:
        """The URL without its query, as Werkzeug writes it (unsafe characters escaped)."""
        return _url(self.scope["scheme"], self._host, self.scope.get("root_path", ""), self.path)

    @cached_property
    def host_url(self) -> str:
        return _url(self.scope["scheme"], self._host, self.scope.get("root_path", ""), None)

    @cached_property
    def full_path(self) -> str:
        return f"{self.path}?{self.query_string.decode('latin-1')}"

    # What Connexion's parameter decorator reads (its _RequestInterface) ---------------------------------
    @property
    def context(self) -> dict:
        return self.scope.setdefault("extensions", {}).setdefault("connexion_context", {})

    @cached_property
    def content_type(self) -> str:
        return self.headers.get("content-type") or "application/octet-stream"

    @cached_property
    def mimetype(self) -> str:
        return self.content_type.split(";", 1)[0].strip().lower()

    @cached_property
    def path_params(self) -> dict:
        return self.uri_parser.resolve_path(self.scope.get("path_params", {}))

    @cached_property
    def query_params(self) -> dict:
        # Request validation resolved the query already, with a parser built the same way.
        resolved = self.scope.get("extensions", {}).get(RESOLVED_QUERY)
        return resolved if resolved is not None else self.uri_parser.resolve_query(dict(self.args.lists))

    def form(self) -> dict:
        if self.mimetype != FORM_MEDIA_TYPES[0]:
            return {}  # multipart bodies: no operation of ours takes one
        pairs = parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True)
        return self.uri_parser.resolve_form(Args(pairs).lists)

    def files(self) -> dict:
        return {}

    def get_body(self) -> Any:
        # Imported here: this module is imported by `fleetbox check` too, which never needs Connexion.
        from connexion.utils import is_json_mimetype

        if is_json_mimetype(self.content_type):
            return _json_or_none(self.body)
        if self.mimetype in FORM_MEDIA_TYPES:
            return self.form()
        return self.body or None


# Clients ask for the same few URLs over and over; Werkzeug's IRI handling is the costly part.
_url = functools.lru_cache(maxsize=4096)(get_current_url)


def _json_or_none(body: bytes) -> Any:
    """The JSON body as request validation read it (None when empty or not JSON, as Werkzeug's silent
    `get_json` answered)."""
    if not body:
        return None
    try:
        return json_input.loads(body)
    except ValueError:  # not JSON (orjson's error is a ValueError), or nested too deep
        return None
