"""An HTTP client that remembers every exchange, so a failed rule can show what was sent and received."""

from __future__ import annotations

import json
import re
import ssl
from dataclasses import dataclass, field
from functools import cache

import httpx

MAX_SHOWN_BODY = 4000
TIMEOUT_SECONDS = 30
MASKED = frozenset({"authorization", "cookie", "set-cookie"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _text(content: bytes) -> str:
    text = content.decode("utf-8", "replace")
    try:
        text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        pass
    return (
        text
        if len(text) <= MAX_SHOWN_BODY
        else text[:MAX_SHOWN_BODY] + f"\n... ({len(text) - MAX_SHOWN_BODY} more characters)"
    )


def _headers(headers: httpx.Headers) -> dict[str, str]:
    return {name: ("***" if name.lower() in MASKED else value) for name, value in headers.items()}


@dataclass(frozen=True)
class Exchange:
    """One request and its response, ready to show to a person."""

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: str
    status: int
    response_headers: dict[str, str]
    response_body: str

    @classmethod
    def of(cls, response: httpx.Response) -> Exchange:
        request = response.request
        return cls(
            method=request.method,
            url=str(request.url),
            request_headers=_headers(request.headers),
            request_body=_text(request.content) if request.content else "",
            status=response.status_code,
            response_headers=_headers(response.headers),
            response_body=_text(response.content),
        )

    def render(self) -> str:
        lines = [f"> {self.method} {self.url}"]
        lines += [
            f"> {name}: {value}"
            for name, value in self.request_headers.items()
            if name.lower() in ("authorization", "content-type")
        ]
        if self.request_body:
            lines += ["> " + line for line in self.request_body.splitlines()]
        lines.append(f"< HTTP {self.status}")
        lines += [
            f"< {name}: {value}"
            for name, value in self.response_headers.items()
            if name.lower() in ("content-type", "location", "allow")
        ]
        lines += ["< " + line for line in self.response_body.splitlines()]
        return "\n".join(lines)


@dataclass
class ExchangeLog:
    """The exchanges of one rule, in order."""

    exchanges: list[Exchange] = field(default_factory=list)

    def client(
        self, base_url: str, headers: dict[str, str] | None = None, auth: httpx.Auth | None = None
    ) -> httpx.Client:
        """A client whose every response is read and logged here."""

        def keep(response: httpx.Response) -> None:
            response.read()
            self.exchanges.append(Exchange.of(response))

        client = quiet_client(base_url, headers, auth)
        client.event_hooks = client.event_hooks | {"response": [keep]}
        return client


class ReadOnlyViolation(Exception):
    """A rule marked read-only sent a request that may change the target, in a `--read-only` run."""


@dataclass
class WriteWatch:
    """Every request of the suite passes here: requests that may change the target (any method but GET,
    HEAD and OPTIONS, except the `harmless` ones such as token requests) are noted for the rule that
    sent them, and refused outright in a read-only run, so a rule wrongly marked read-only cannot write."""

    harmless: list[tuple[str, re.Pattern]] = field(default_factory=list)
    read_only: bool = False
    # The target's base path, left out of the requests noted.
    base_path: str = ""
    rule: str | None = None
    seen: dict[str, list[str]] = field(default_factory=dict)

    def may_write(self, request: httpx.Request) -> bool:
        if request.method in SAFE_METHODS:
            return False
        path = request.url.path
        return not any(method == request.method and pattern.search(path) for method, pattern in self.harmless)

    def template(self, path: str) -> str:
        """The path below the base path, ids (segments with a digit) shown as {id}: one line per kind of request."""
        below = path.removeprefix(self.base_path) if self.base_path and path.startswith(self.base_path) else path
        return "/".join("{id}" if any(c.isdigit() for c in part) else part for part in below.split("/"))

    def __call__(self, request: httpx.Request) -> None:
        if not self.may_write(request):
            return
        what = f"{request.method} {self.template(request.url.path)}"
        if self.read_only:
            raise ReadOnlyViolation(f"--read-only: {self.rule or 'the suite'} is marked read-only but sent {what}")
        if self.rule is not None:
            writes = self.seen.setdefault(self.rule, [])
            if what not in writes:
                writes.append(what)


WATCH = WriteWatch()


@cache
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context for every client of a run: building one loads the CA bundle, which cost
    a quarter of a second of CPU per client, and a run makes hundreds of clients."""
    return httpx.create_ssl_context()


def quiet_client(
    base_url: str = "", headers: dict[str, str] | None = None, auth: httpx.Auth | None = None
) -> httpx.Client:
    """A client whose exchanges are the suite's means (tokens, clean-up, the control plane), not evidence.
    With a base URL it stays on that URL's host: a link the API answers that leads elsewhere fails the rule
    that follows it, and the suite never sends a token to another host."""
    hooks = [WATCH] if not base_url else [_same_origin(httpx.URL(base_url)), WATCH]
    return httpx.Client(
        base_url=base_url,
        headers=headers or {},
        auth=auth,
        timeout=TIMEOUT_SECONDS,
        verify=tls_context(),
        event_hooks={"request": hooks},
    )


def _same_origin(base: httpx.URL):
    def check(request: httpx.Request) -> None:
        if (request.url.scheme, request.url.host, request.url.port) != (base.scheme, base.host, base.port):
            raise AssertionError(
                f"expected the API's links to stay on {base.scheme}://{base.netloc.decode()}, got {request.url}"
            )

    return check
