"""Driving one ASGI middleware without a server: a request scope, its body in chunks, what reached the app."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from conformance.contract import ProfileContract
from mockserver.http.profile import Profile


@dataclass
class Reached:
    """What the wrapped app saw of a request, and what it answers."""

    scope: dict | None = None
    body: bytes = b""
    status: int = 200
    answer: bytes = b"ok"
    sent: list = field(default_factory=list)

    async def app(self, scope, receive, send) -> None:
        self.scope = scope
        more = True
        while more:
            message = await receive()
            self.body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = [(b"content-type", b"text/plain")]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.answer})


def scope_of(method: str, path: str, query: bytes = b"", headers: dict[str, str] | None = None) -> dict:
    raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in (headers or {}).items()]
    return {"type": "http", "method": method, "path": path, "query_string": query, "headers": raw}


def call(middleware, scope: dict, *chunks: bytes) -> list[dict]:
    """Run `middleware` on one request whose body comes in `chunks`; the messages it sent back."""
    pending = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]
    pending = pending or [{"type": "http.request", "body": b"", "more_body": False}]
    sent: list[dict] = []

    async def receive() -> dict:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(middleware(scope, receive, send))
    return sent


def stub_profile(name: str, base_path: str, **options) -> Profile:
    """A profile of no real API: a name and base path (a contract of its own), no handlers, no renderer."""
    contract = ProfileContract(name=name, base_path=base_path, spec=Path(f"{name}.yaml"), sandbox="", suite="")
    return Profile(contract=contract, handlers=(), render_error=lambda error, facts: None, **options)
