"""The envelope of every vendor-API request: its trace opens when the request arrives; on the way out the
profile adds its response headers (flow ids, rate-limit counters) and the exchange lands in the journal
of the sandbox the request was attributed to.

It wraps the stack outside Connexion's error handling, so refused requests get their headers and are
journaled as answered. Requests nobody attributes to a sandbox are not journaled.
"""

from __future__ import annotations

import logging
import os
import random
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.engine.journal import MAX_BODY_BYTES
from mockserver.engine.store import StoreUnavailable

from .context import TRACE_KEY, RequestTrace
from .routes import RouteTable

logger = logging.getLogger(__name__)

# Request ids need to be unique, not unguessable: `uuid4()` reads the kernel's random source on every
# request, which under load was 4-8% of a request's CPU time here. A generator seeded from it once (and
# again in every forked worker, so workers never share a sequence) writes the same version-4 UUIDs.
_ids = random.Random()
os.register_at_fork(after_in_child=_ids.seed)


def new_request_id() -> str:
    """A random version-4 UUID, as `str(uuid.uuid4())` writes it."""
    return str(uuid.UUID(int=_ids.getrandbits(128), version=4))


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


class EnvelopeMiddleware:
    def __init__(self, app: ASGIApp, routes: RouteTable, vendors: frozenset[str]) -> None:
        self.app = app
        self._routes = routes
        self._vendors = vendors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        profile = self._routes.profile_for(scope["path"]) if scope["type"] == "http" else None
        if profile is None or profile.name not in self._vendors:
            await self.app(scope, receive, send)
            return

        trace = RequestTrace(profile=profile.name, request_id=new_request_id())
        scope.setdefault("extensions", {})[TRACE_KEY] = trace
        started = time.perf_counter()
        request_body, response_body = _Capped(), _Capped()
        status = 500
        response_headers: list = []

        async def receive_and_keep() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                request_body.add(message.get("body", b""))
            return message

        async def send_and_keep(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if profile.response_headers is not None:
                    extra = [
                        (name.lower().encode("latin-1"), value.encode("latin-1"))
                        for name, value in profile.response_headers(trace)
                    ]
                    message = {**message, "headers": [*message.get("headers", []), *extra]}
                response_headers[:] = message.get("headers", [])
            elif message["type"] == "http.response.body":
                response_body.add(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive_and_keep, send_and_keep)
        finally:
            sandbox = trace.sandbox
            if sandbox is not None:
                self._journal(
                    sandbox, trace, profile, scope, status, started, request_body, response_body, response_headers
                )

    @staticmethod
    def _journal(sandbox, trace, profile, scope, status, started, request_body, response_body, headers) -> None:
        try:
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
                fault=trace.fault,
                response_headers=tuple((name.decode("latin-1"), value.decode("latin-1")) for name, value in headers),
            )
        except StoreUnavailable:
            # The client has its answer already; the store being away costs the journal this entry only.
            logger.warning("journal entry of %s %s lost: the store is not answering", scope["method"], scope["path"])
