"""The sandbox dashboard: a page at `/` and its files under `/dashboard/`, which talks only to `/__sandbox`."""

from __future__ import annotations

from pathlib import Path

from starlette.responses import FileResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

STATIC = Path(__file__).with_name("static")
PREFIX = "/dashboard/"
# The page loads nothing from elsewhere and runs no inline code; saying so keeps a hostile journal entry
# (bodies are shown as text, never as markup) from ever becoming a script.
HEADERS = [
    (b"cache-control", b"no-cache"),
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"),
]
MEDIA_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}


class Dashboard:
    """Answers GET and HEAD for the dashboard's page and files; every other request goes on to `app`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # A fixed table of the shipped files: no request path ever reaches the file system.
        self._files = {PREFIX + file.name: file for file in STATIC.iterdir() if file.suffix in MEDIA_TYPES}
        self._files["/"] = self._files["/index.html"] = STATIC / "index.html"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        file = self._files.get(scope["path"]) if scope["type"] == "http" else None
        if file is None or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
            await send(message)

        response = FileResponse(file, media_type=MEDIA_TYPES[file.suffix])
        await response(scope, receive, send_with_headers)
