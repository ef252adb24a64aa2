"""InlineWSGI: runs the Flask app on the event loop's own thread instead of a2wsgi's thread pool.

Sandbox handlers only touch memory and finish in microseconds, so a thread hop per request (futures,
conditions, a second wake-up of the loop) costs more than it could ever overlap; measured, it was a
third of the server's CPU time. The GIL serialises the handlers' Python either way.
"""

from __future__ import annotations

import io

from a2wsgi.wsgi import build_environ
from connexion.middleware.routing import ROUTING_CONTEXT
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send


class InlineWSGI:
    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("extensions", {}).get(ROUTING_CONTEXT, {}).get("operation_id") is None:
            # Connexion's router found no operation, yet Flask's may still match (a path segment
            # holding a newline does); only routed, validated requests may reach a handler.
            raise HTTPException(404)
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        environ = build_environ(scope, io.BytesIO(b"".join(chunks)))  # type: ignore[arg-type]
        started: dict = {}

        def start_response(status: str, headers: list, exc_info=None) -> None:
            started["status"] = int(status.split(" ", 1)[0])
            started["headers"] = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]

        result = self.wsgi_app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()
        await send({"type": "http.response.start", "status": started["status"], "headers": started["headers"]})
        await send({"type": "http.response.body", "body": body})
