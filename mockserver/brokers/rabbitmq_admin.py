"""RabbitMQ's management HTTP API, for what AMQP itself cannot do: users and their permissions.

AMQP declares exchanges and queues but has no verb for users, so the per-fleet event consumers (each
allowed to read its own queues only) are made through the management plugin when the server is started
with `--amqp-admin URL`. A broker that does not answer raises `BrokerUnavailable` (tried again later);
a refusal raises `AdminRefused` (not worth trying again).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import httpx

TIMEOUT_SECONDS = 5.0


class BrokerUnavailable(Exception):
    """The broker did not answer; the same request may work later."""


class AdminRefused(Exception):
    """The management API refused a request (bad credentials, a missing permission)."""


@dataclass(frozen=True)
class User:
    """A broker user that may read (consume from) the queues whose names match `read`, and nothing else."""

    name: str
    password: str
    read: str


class RabbitAdmin:
    """Creates and deletes users of one virtual host through the management API at `url`."""

    def __init__(self, url: str, vhost: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"--amqp-admin must be the management API's http(s) URL, not {url!r}")
        origin = f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        auth = (parts.username or "guest", parts.password or "guest")
        self._http = httpx.Client(base_url=origin + parts.path.rstrip("/"), auth=auth, timeout=TIMEOUT_SECONDS)
        self._vhost = quote(vhost, safe="")

    def put_user(self, user: User) -> None:
        name = quote(user.name, safe="")
        self._call("PUT", f"/api/users/{name}", {"password": user.password, "tags": ""})
        # No configure and no write: the consumer reads its queues and can change nothing on the broker.
        permissions = {"configure": "^$", "write": "^$", "read": user.read}
        self._call("PUT", f"/api/permissions/{self._vhost}/{name}", permissions)

    def delete_user(self, name: str) -> None:
        self._call("DELETE", f"/api/users/{quote(name, safe='')}", None, missing_ok=True)

    def check(self) -> None:
        """Raise unless the API answers these credentials (at start-up, for a clear message)."""
        self._call("GET", "/api/whoami", None)

    def _call(self, method: str, path: str, body: dict | None, missing_ok: bool = False) -> None:
        try:
            response = self._http.request(method, "/" + path.lstrip("/"), json=body)
        except httpx.HTTPError as error:
            raise BrokerUnavailable(f"the management API did not answer: {error}") from error
        if response.status_code == 404 and missing_ok:
            return
        if response.status_code >= 500:
            raise BrokerUnavailable(f"the management API answered {response.status_code}")
        if response.status_code >= 400:
            raise AdminRefused(f"{method} {path}: {response.status_code} {response.text[:200]}")

    def close(self) -> None:
        self._http.close()
