"""`ControlClient`: every call of openapi/sandbox.yaml, synchronous, over httpx; errors raise `SandboxError`."""

from __future__ import annotations

import os
import ssl
from datetime import datetime
from functools import cache, cached_property
from typing import Any

import httpx

from .journal import Verification
from .models import Clock, Delivery, Event, Fault, Health, JournalEntry, RateLimit, Sandbox, SandboxSummary, Webhook

CONTROL_PATH = "/__sandbox"
TIMEOUT_SECONDS = 30


class SandboxError(Exception):
    """The control plane refused a call; `problem` is the RFC 7807 document it answered (or the body's text)."""

    def __init__(self, method: str, url: str, status: int, problem: dict[str, Any]) -> None:
        self.method, self.url, self.status, self.problem = method, url, status, problem
        what = ": ".join(str(problem[k]) for k in ("title", "detail") if problem.get(k)) or "no problem document"
        super().__init__(f"{method} {url} answered {status}: {what}")

    @property
    def title(self) -> str | None:
        return self.problem.get("title")

    @property
    def detail(self) -> str | None:
        return self.problem.get("detail")


@cache
def _ssl_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    return httpx.create_ssl_context()


def ssl_context() -> ssl.SSLContext:
    """httpx's default TLS context (honouring `SSL_CERT_FILE` and `SSL_CERT_DIR`), built once: loading the CA
    bundle costs a tenth of a second per client, and tests make many clients."""
    return _ssl_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


def control_url(url: str) -> str:
    """The control plane's root from a server's origin or the root itself (`.../__sandbox`)."""
    url = url.rstrip("/")
    return url if url.endswith(CONTROL_PATH) else url + CONTROL_PATH


class ControlClient:
    """The control plane of one fleetbox server: `ControlClient("http://127.0.0.1:8080")`.

    `token` is sent as `Authorization: Bearer TOKEN` (servers started with a control token need it).
    """

    def __init__(
        self, url: str, token: str | None = None, *, timeout: float = TIMEOUT_SECONDS, http: httpx.Client | None = None
    ) -> None:
        self.url = control_url(url)
        self.origin = self.url[: -len(CONTROL_PATH)]
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = http or httpx.Client(headers=headers, timeout=timeout, verify=ssl_context())

    def __enter__(self) -> ControlClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def call(
        self, method: str, path: str, *, json: Any = None, params: dict | None = None, token: str | None = None
    ) -> Any:
        """One call below the control plane's root (with `token` instead of the client's); the decoded JSON
        answer (None for a 204)."""
        params = {k: v for k, v in (params or {}).items() if v is not None}
        headers = {"Authorization": f"Bearer {token}"} if token else None
        response = self.http.request(method, self.url + path, json=json, params=params or None, headers=headers)
        if not response.is_success:
            try:
                problem = response.json()
            except ValueError:
                problem = {"title": response.text[:200]}
            raise SandboxError(method, str(response.request.url), response.status_code, problem)
        return None if response.status_code == 204 or not response.content else response.json()

    # --- the server and its sandboxes --------------------------------------------------------------

    def health(self) -> Health:
        return Health.of(self.call("GET", "/health"))

    @cached_property
    def base_paths(self) -> dict[str, str]:
        """Where the server serves each profile (asked once)."""
        return {p.name: p.base_path for p in self.health().profiles}

    def base_url(self, profile: str) -> str:
        return self.origin + self.base_paths[profile]

    def sandboxes(self) -> list[SandboxSummary]:
        return [SandboxSummary.of(s) for s in self.call("GET", "/sandboxes")["sandboxes"]]

    def create_sandbox(self, id: str | None = None, seed: int | None = None, size: int | None = None) -> Sandbox:
        body = {k: v for k, v in {"id": id, "seed": seed, "size": size}.items() if v is not None}
        return Sandbox.of(self.call("POST", "/sandboxes", json=body))

    def get_sandbox(self, sandbox_id: str) -> Sandbox:
        return self.sandbox(sandbox_id).get()

    def delete_sandbox(self, sandbox_id: str) -> None:
        self.sandbox(sandbox_id).delete()

    def sandbox(self, sandbox_id: str, access_key: str | None = None) -> SandboxControl:
        """The calls about one sandbox (nothing is sent until one is made); with `access_key` (a `Sandbox`'s
        own, from a server with a control token) they carry it rather than the client's token."""
        return SandboxControl(self, sandbox_id, access_key)


class SandboxControl:
    """One sandbox's part of the control plane: `.clock`, `.journal`, `.faults`, `.webhooks`, state and quotas."""

    def __init__(self, client: ControlClient, sandbox_id: str, access_key: str | None = None) -> None:
        self.client = client
        self.id = sandbox_id
        self.access_key = access_key
        self.path = f"/sandboxes/{sandbox_id}"
        self.clock = ClockControl(self)
        self.journal = JournalControl(self)
        self.faults = FaultControl(self)
        self.webhooks = WebhookControl(self)

    def call(self, method: str, path: str = "", **kwargs: Any) -> Any:
        return self.client.call(method, self.path + path, token=self.access_key, **kwargs)

    def get(self) -> Sandbox:
        return Sandbox.of(self.call("GET"))

    def delete(self) -> None:
        self.call("DELETE")

    def reset(self, seed: int | None = None, size: int | None = None) -> Sandbox:
        body = {k: v for k, v in {"seed": seed, "size": size}.items() if v is not None}
        return Sandbox.of(self.call("POST", "/reset", json=body))

    def export_state(self) -> dict[str, Any]:
        return self.call("GET", "/state")

    def import_state(self, state: dict[str, Any]) -> Sandbox:
        return Sandbox.of(self.call("PUT", "/state", json=state))

    def rate_limits(self) -> dict[str, RateLimit | None]:
        return {name: RateLimit.of(limit) for name, limit in self.call("GET", "/rate-limits").items()}

    def set_rate_limits(self, limits: dict[str, RateLimit | dict | None]) -> dict[str, RateLimit | None]:
        body = {name: limit.to_dict() if isinstance(limit, RateLimit) else limit for name, limit in limits.items()}
        return {name: RateLimit.of(limit) for name, limit in self.call("PUT", "/rate-limits", json=body).items()}

    def events(
        self, audience: str | None = None, type: str | None = None, since: int | None = None, limit: int | None = None
    ) -> list[Event]:
        params = {"audience": audience, "type": type, "since": since, "limit": limit}
        return [Event.of(e) for e in self.call("GET", "/events", params=params)["events"]]

    def deliveries(self, subscription: str | None = None) -> list[Delivery]:
        found = self.call("GET", "/deliveries", params={"subscription": subscription})["deliveries"]
        return [Delivery.of(d) for d in found]


class ClockControl:
    def __init__(self, sandbox: SandboxControl) -> None:
        self._sandbox = sandbox

    def get(self) -> Clock:
        return Clock.of(self._sandbox.call("GET", "/clock"))

    def now(self) -> datetime:
        return self.get().now

    def set(self, now: datetime | str, frozen: bool = False) -> Clock:
        text = now if isinstance(now, str) else now.isoformat().replace("+00:00", "Z")
        return Clock.of(self._sandbox.call("PUT", "/clock", json={"now": text, "frozen": frozen}))

    def advance(self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0) -> Clock:
        """Move the virtual time forward (negative values move it back)."""
        total = seconds + 60 * minutes + 3600 * hours + 86400 * days
        return Clock.of(self._sandbox.call("POST", "/clock/advance", json={"seconds": total}))


class JournalControl(Verification):
    """The sandbox's journal: `entries()`, `clear()`, and `requests(...)`/`assert_requested(...)` to verify."""

    def __init__(self, sandbox: SandboxControl) -> None:
        self._sandbox = sandbox
        super().__init__(lambda profile: self.entries(profile=profile), lambda: sandbox.client.base_paths)

    def entries(self, since: int | None = None, limit: int | None = None, profile: str | None = None) -> list:
        params = {"since": since, "limit": limit, "profile": profile}
        return [JournalEntry.of(e) for e in self._sandbox.call("GET", "/journal", params=params)["entries"]]

    def clear(self) -> None:
        self._sandbox.call("DELETE", "/journal")


class FaultControl:
    def __init__(self, sandbox: SandboxControl) -> None:
        self._sandbox = sandbox

    def list(self) -> list[Fault]:
        return [Fault.of(f) for f in self._sandbox.call("GET", "/faults")["faults"]]

    def add(
        self,
        status: int | None = None,
        *,
        profile: str | None = None,
        method: str | None = None,
        path: str | None = None,
        latency_ms: int | None = None,
        drop: bool | None = None,
        probability: float | None = None,
        times: int | None = None,
    ) -> Fault:
        """A rule: matching requests get `status` in the vendor's format, wait `latency_ms`, or are dropped."""
        body = {
            "status": status,
            "profile": profile,
            "method": method,
            "path": path,
            "latencyMs": latency_ms,
            "drop": drop,
            "probability": probability,
            "times": times,
        }
        return Fault.of(self._sandbox.call("POST", "/faults", json={k: v for k, v in body.items() if v is not None}))

    def remove(self, fault_id: str) -> None:
        self._sandbox.call("DELETE", f"/faults/{fault_id}")

    def clear(self) -> None:
        self._sandbox.call("DELETE", "/faults")


class WebhookControl:
    def __init__(self, sandbox: SandboxControl) -> None:
        self._sandbox = sandbox

    def list(self) -> list[Webhook]:
        return [Webhook.of(w) for w in self._sandbox.call("GET", "/webhooks")["webhooks"]]

    def add(self, audience: str, url: str, events: tuple[str, ...] = (), name: str | None = None) -> Webhook:
        body = {"audience": audience, "url": url} | ({"events": list(events)} if events else {})
        return Webhook.of(self._sandbox.call("POST", "/webhooks", json=body | ({"name": name} if name else {})))

    def remove(self, webhook_id: str) -> None:
        self._sandbox.call("DELETE", f"/webhooks/{webhook_id}")

    def deliveries(self, webhook_id: str | None = None) -> list[Delivery]:
        return self._sandbox.deliveries(webhook_id)
