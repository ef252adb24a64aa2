"""ASGI middleware for request bodies on their way in: a vendor API refuses one over the server's limit
with the profile's 413 before reading it whole, and a chunked body (which declares no length) is read
here and handed on with its `Content-Length`, because Connexion takes a body without one for none.
A body without a `Content-Type` is refused with the profile's 415: Connexion validates it as the
operation's first media type but hands the handler raw bytes, and ASP.NET answers it with a 415 too.

Only operations that document a request body are concerned (their specs document the 413). The
control plane is not limited, because a state import must take back whatever an export gave. It sits
inside Connexion's error handling, so a refusal is rendered in the vendor's format.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.engine.errors import PayloadTooLarge, UnsupportedMediaType

from .routes import RouteTable


class BodyLimit:
    def __init__(self, app: ASGIApp, routes: RouteTable, limited_base_paths: tuple[str, ...], max_bytes: int) -> None:
        self.app = app
        self._routes = routes
        self._limited_base_paths = limited_base_paths
        self._max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = chunked = None
        typed = False
        for name, value in scope["headers"]:
            if name == b"content-length":
                declared = int(value)  # the HTTP server has already refused a malformed one
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"content-type":
                typed = True
        if not typed and (declared or chunked) and self._routes.reads_body(scope["path"], scope["method"]):
            raise UnsupportedMediaType("The request has a body but no Content-Type header.")
        # Most requests leave here after the header scan: no body, or one within the limit.
        if declared is not None and declared <= self._max_bytes or declared is None and not chunked:
            await self.app(scope, receive, send)
            return
        if not self._routes.reads_body(scope["path"], scope["method"]):
            await self.app(scope, receive, send)
            return
        limit = self._max_bytes if scope["path"].startswith(self._limited_base_paths) else None
        if declared is not None:
            if limit is not None:
                raise PayloadTooLarge(limit)  # refused before a byte of the body is read
            await self.app(scope, receive, send)
            return
        body = await read_body(receive, limit)
        headers = [(n, v) for n, v in scope["headers"] if n != b"transfer-encoding"]
        headers.append((b"content-length", str(len(body)).encode()))
        await self.app({**scope, "headers": headers}, replay(body, receive), send)


async def read_body(receive: Receive, limit: int | None) -> bytes:
    """The whole body of a request, refused as soon as it grows past `limit` bytes."""
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away; what was read is all there is
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            raise PayloadTooLarge(limit)
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A receive channel that gives `body` in one message, then whatever the client sends next."""
    sent = False

    async def receive_again() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive_again
