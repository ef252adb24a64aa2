"""Dispatch: the innermost ASGI app, calling each routed operation's handler through Connexion's own
parameter and response decorators, without Flask.

Connexion's middleware has routed, authenticated and validated a request by the time it gets here; its
FlaskApp would then build a WSGI environ, a Flask request context, a Werkzeug request and response, and
rebuild the decorator chain of the operation. Profiled under load that was about 60% of a request's CPU
time for a handler that takes microseconds. Here each operation's chain (the handler wrapped by
Connexion's SyncParameterDecorator and SyncResponseDecorator, the operation's URI parser) is built once,
on its first request, over a framework whose requests are `http.request.Request` and whose responses are
ready ASGI messages. What the handler gets and how its answer becomes a response stay Connexion's.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

import anyio.to_thread
from connexion import utils
from connexion.context import _operation
from connexion.datastructures import NoContent
from connexion.decorators.response import SyncResponseDecorator
from connexion.middleware.routing import ROUTING_CONTEXT
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send
from werkzeug.http import remove_entity_headers
from werkzeug.urls import iri_to_uri
from werkzeug.utils import get_content_type

from .arguments import PreparedArguments
from .request import Request


@dataclass(slots=True)
class Answer:
    """A response ready for the wire: status, header pairs (bytes, lower-case names) and body."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class DirectFramework:
    """The framework Connexion's decorators build responses with: `Answer`s, written as Flask would.

    Flask's response class adds the charset to text types, a Content-Length, and drops the entity
    headers of a 304; clients of the sandbox have seen exactly that, so it stays.
    """

    @staticmethod
    def is_framework_response(response: t.Any) -> bool:
        return isinstance(response, Answer)

    @classmethod
    def connexion_to_framework_response(cls, response):
        return cls.build_response(
            response.body,
            content_type=response.content_type,
            headers=response.headers,
            status_code=response.status_code,
        )

    @staticmethod
    def build_response(
        data: t.Any, *, content_type: str | None = None, headers: dict | None = None, status_code: int | None = None
    ) -> Answer:
        status = status_code or 200
        pairs = [(str(name), str(value)) for name, value in (headers or {}).items() if name.lower() != "content-type"]
        if content_type:
            pairs.append(("Content-Type", get_content_type(content_type, "utf-8")))
        body = data.encode() if isinstance(data, str) else (data or b"")
        if status == 304:
            remove_entity_headers(pairs)
        elif status == 204 or status < 200:
            body = b""
        else:
            pairs.append(("Content-Length", str(len(body))))
        return Answer(
            status,
            [
                (
                    name.lower().encode("latin-1"),
                    (iri_to_uri(value) if name.lower() == "location" else value).encode("latin-1"),
                )
                for name, value in pairs
            ],
            body if status != 304 else b"",
        )

    @staticmethod
    def get_request(*_args, **_kwargs):  # the request is made by Dispatch, never asked for
        raise NotImplementedError


class PreparedResponse(SyncResponseDecorator):
    """Connexion's response decorator for one operation, with what depends only on the operation done once.

    Connexion's decorator, for every answer, reads the operation's media types through a context variable,
    makes a set and a list of them, looks for a Content-Type among the handler's headers with typing
    constructs evaluated per call, and splits the content type again to see whether it is JSON. Here the
    common case (no headers of the handler's own, one media type produced) is answered from what was read
    once, every other case by Connexion's own code; JSON is written straight to bytes, as the
    framework would have encoded Connexion's text.
    """

    def __init__(self, *, operation, **kwargs) -> None:
        super().__init__(**kwargs)
        self._produces = list(set(operation.produces))
        self._only_produces = self._produces[0] if len(self._produces) == 1 else None
        self._json: dict[str | None, bool] = {}
        self._dumps = getattr(self.jsonifier, "dumps_bytes", self.jsonifier.dumps)

    def _infer_content_type(self, data: t.Any, headers: dict) -> str | None:
        if type(headers) is dict:
            # What Connexion concludes: the handler's Content-Type when it is one the operation produces,
            # else the one media type produced; anything else (an error included) is left to Connexion.
            named = next((value for name, value in headers.items() if name.lower() == "content-type"), None)
            if named is None and self._only_produces is not None:
                return self._only_produces
            if type(named) is str and named in self._produces:
                return named
        return super()._infer_content_type(data, headers)

    def _serialize_data(self, data: t.Any, *, content_type: str) -> t.Any:
        if data is None or data is NoContent:
            return None
        is_json = self._json.get(content_type)
        if is_json is None:
            is_json = utils.is_json_mimetype(utils.split_content_type(content_type)[0])
            if len(self._json) < 64:  # the operation's few media types; never a client's whims
                self._json[content_type] = is_json
        return self._dumps(data) if is_json else data


def decorated(operation, function: t.Callable, jsonifier) -> t.Callable[[Request], Answer]:
    """`function` wrapped as Connexion wraps a handler: arguments from the request, an answer from its return."""
    with_arguments = PreparedArguments(operation=operation, framework=DirectFramework, pythonic_params=False)(function)
    return PreparedResponse(operation=operation, framework=DirectFramework, jsonifier=jsonifier)(with_arguments)


@dataclass(slots=True)
class _Call:
    operation: t.Any  # kept, so the id the call is cached under stays this operation's
    handler: t.Callable[[Request], Answer]
    uri_parser: t.Any
    off_the_loop: bool


def off_the_loop(handler: t.Callable) -> t.Callable:
    """Mark a handler that may take seconds (one that builds a world): it runs in a worker thread, so the
    server goes on answering other requests meanwhile. Every other handler runs on the event loop itself,
    which costs less than a thread's hand-over."""
    handler.off_the_loop = True
    return handler


def _answer(handler: t.Callable[[Request], Answer], request: Request) -> Answer:
    bound = request.bind()
    try:
        return handler(request)
    finally:
        Request.unbind(bound)


class Dispatch:
    """Calls the handler of the operation Connexion routed the request to."""

    def __init__(self, state: dict, jsonifier) -> None:
        self._state = state
        self._jsonifier = jsonifier
        self._calls: dict[int, _Call] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _nothing_to_start_or_stop(receive, send)
            return
        if scope.get("extensions", {}).get(ROUTING_CONTEXT, {}).get("operation_id") is None:
            raise HTTPException(404)  # only routed, validated requests may reach a handler
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        operation = _operation.get()
        call = self._calls.get(id(operation)) or self._build(operation)
        request = Request(scope, b"".join(chunks), operation.operation_id, call.uri_parser, self._state)
        if call.off_the_loop:
            answer = await anyio.to_thread.run_sync(_answer, call.handler, request)
        else:
            answer = _answer(call.handler, request)
        await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
        await send({"type": "http.response.body", "body": answer.body})

    def _build(self, operation) -> _Call:
        uri_parser = operation.uri_parser_class(operation.parameters, operation.body_definition())
        handler = decorated(operation, operation.function, self._jsonifier)
        call = _Call(operation, handler, uri_parser, getattr(operation.function, "off_the_loop", False))
        self._calls[id(operation)] = call
        return call


async def _nothing_to_start_or_stop(receive: Receive, send: Send) -> None:
    """The ASGI lifespan protocol, for servers and test clients that speak it: the handlers need no set-up."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
