"""Bugs planted in front of the sandbox: a gateway that rewrites the requests it forwards or the answers it
returns, as a real implementation's proxy, serializer or router might get them wrong."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

import pytest

from mockserver.http.envelope import EnvelopeMiddleware


@dataclass
class Request:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body or b"null")

    def set_json(self, value) -> None:
        self.body = json.dumps(value).encode()

    def param(self, name: str) -> str | None:
        return next((value for key, value in self.query if key == name), None)

    def without(self, *names: str) -> None:
        self.query = [(key, value) for key, value in self.query if key not in names]

    def bearer(self) -> str:
        return self.headers.get("authorization", "").partition(" ")[2]


@dataclass
class Response:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self):
        return json.loads(self.body)

    def set_json(self, value) -> None:
        self.body = json.dumps(value).encode()
        self.headers["content-type"] = "application/json"

    @property
    def is_json(self) -> bool:
        return "json" in self.headers.get("content-type", "") and bool(self.body)


# What a planted gateway does: rewrite the request (or answer it itself), and rewrite the answer.
Before = Callable[[Request], "Response | None"]
After = Callable[[Request, Response], None]


def plant(monkeypatch: pytest.MonkeyPatch, before: Before | None = None, after: After | None = None) -> None:
    """Put a rewriting gateway in front of every vendor API of the running sandbox."""
    real = EnvelopeMiddleware.__call__

    async def gateway(self, scope, receive, send):
        if scope["type"] != "http":
            await real(self, scope, receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        request = Request(scope["method"], scope["path"], query, headers, body)
        answer = before(request) if before else None
        if answer is None:
            answer = await _forward(real, self, scope, request)
        if after:
            after(request, answer)
        answer.headers.pop("transfer-encoding", None)
        answer.headers["content-length"] = str(len(answer.body))
        await send(
            {
                "type": "http.response.start",
                "status": answer.status,
                "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers.items()],
            }
        )
        await send({"type": "http.response.body", "body": answer.body})

    monkeypatch.setattr(EnvelopeMiddleware, "__call__", gateway)


async def _forward(real, middleware, scope, request: Request) -> Response:
    headers = {**request.headers, "content-length": str(len(request.body))}
    headers.pop("transfer-encoding", None)
    forwarded = {
        **scope,
        "method": request.method,
        "path": request.path,
        "raw_path": request.path.encode(),
        "query_string": urlencode(request.query).encode(),
        "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
    }
    sent, answered = False, asyncio.Event()
    answer = Response(500)

    async def receive():
        nonlocal sent
        if sent:
            # The client stays connected until the whole answer is written, as a real one does.
            await answered.wait()
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": request.body, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            for name, value in message.get("headers", []):
                answer.headers[name.decode("latin-1").lower()] = value.decode("latin-1")
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")
            if not message.get("more_body", False):
                answered.set()

    await real(middleware, forwarded, receive, send)
    return answer


def on(base: str, method: str | None, path: str, before: Before | None = None, after: After | None = None):
    """A plant: the gateway rewrites only `method` requests (any, for None) whose path below `base` fully
    matches the regular expression `path`."""

    def applies(request: Request) -> bool:
        below = request.path.removeprefix(base)
        return below != request.path and method in (None, request.method) and re.fullmatch(path, below) is not None

    def plant_it(monkeypatch: pytest.MonkeyPatch) -> None:
        plant(
            monkeypatch,
            (lambda request: before(request) if applies(request) else None) if before else None,
            (lambda request, response: after(request, response) if applies(request) else None) if after else None,
        )

    return plant_it


def edit(base: str, method: str | None, path: str, change: Callable[[object, Request], object], status: int = 200):
    """A plant: the JSON answers of status `status` to matching requests, rewritten by `change(body, request)`."""

    def after(request: Request, response: Response) -> None:
        if response.status == status and response.is_json:
            response.set_json(change(response.json(), request))

    return on(base, method, path, after=after)


def answer(status: int, body=None, headers: dict | None = None) -> Response:
    response = Response(status, dict(headers or {}))
    if body is not None:
        response.set_json(body)
    return response


def also(*plants):
    """Several plants at once."""

    def plant_all(monkeypatch: pytest.MonkeyPatch) -> None:
        for each in plants:
            each(monkeypatch)

    return plant_all
