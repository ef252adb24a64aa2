"""An HTTP client that remembers every exchange, so a failed rule can show what was sent and received."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import httpx

MAX_SHOWN_BODY = 4000
TIMEOUT_SECONDS = 30
MASKED = frozenset({"authorization", "cookie", "set-cookie"})


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
        client.event_hooks = {"response": [keep]}
        return client


def quiet_client(
    base_url: str = "", headers: dict[str, str] | None = None, auth: httpx.Auth | None = None
) -> httpx.Client:
    """A client whose exchanges are the suite's means (tokens, clean-up, the control plane), not evidence."""
    return httpx.Client(base_url=base_url, headers=headers or {}, auth=auth, timeout=TIMEOUT_SECONDS)
