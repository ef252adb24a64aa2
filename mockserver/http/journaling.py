"""ASGI middleware that records each vendor-API request, with its response, in its sandbox's journal.

It wraps the stack outside Connexion's error handling, so refused requests are recorded as answered.
A request is attributed to a sandbox by whoever recognises it (the token check, or an auth handler);
requests nobody attributes are not recorded.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.engine.journal import MAX_BODY_BYTES

from .context import TRACE_KEY, RequestTrace
from .routes import RouteTable


class _Capped:
    """Collects body chunks up to the journal's limit."""

    __slots__ = ("chunks", "size")

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.size = 0

    def add(self, chunk: bytes) -> None:
        if chunk and self.size < MAX_BODY_BYTES:
            self.chunks.append(chunk[: MAX_BODY_BYTES - self.size])
            self.size += len(self.chunks[-1])

    def bytes(self) -> bytes:
        return b"".join(self.chunks)


class JournalMiddleware:
    def __init__(self, app: ASGIApp, routes: RouteTable, journaled: frozenset[str]) -> None:
        self.app = app
        self._routes = routes
        self._journaled = journaled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        profile = self._routes.profile_for(scope["path"]) if scope["type"] == "http" else None
        if profile is None or profile.name not in self._journaled:
            await self.app(scope, receive, send)
            return

        trace = RequestTrace(profile=profile.name)
        scope.setdefault("extensions", {})[TRACE_KEY] = trace
        started = time.perf_counter()
        request_body, response_body = _Capped(), _Capped()
        status = 500

        async def receive_and_keep() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                request_body.add(message.get("body", b""))
            return message

        async def send_and_keep(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                response_body.add(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive_and_keep, send_and_keep)
        finally:
            sandbox = trace.sandbox
            if sandbox is not None:
                sandbox.journal.record(
                    at=sandbox.now(),
                    profile=profile.name,
                    method=scope["method"],
                    path=scope["path"],
                    query=scope.get("query_string", b"").decode("latin-1"),
                    status=status,
                    duration_ms=(time.perf_counter() - started) * 1000,
                    request_headers=tuple(
                        (name.decode("latin-1"), value.decode("latin-1")) for name, value in scope["headers"]
                    ),
                    request_body=request_body.bytes(),
                    response_body=response_body.bytes(),
                )
