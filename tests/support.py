"""Test support: a live fleetbox server on a free loopback port, and clients that check every response
against the spec they talk to."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from functools import cached_property

import httpx
import schemathesis
import uvicorn

from conformance.contract import contract_of, spec_path
from conformance.hourfleet import login_form
from mockserver.app import create_app
from mockserver.settings import Settings

TRIMBLE_BASE = contract_of("trimble.yaml").base_path
INVERS_BASE = contract_of("invers.yaml").base_path
HOURFLEET_BASE = contract_of("hourfleet.yaml").base_path


FAILED_RULE = re.compile(r"^  FAIL (\S+)", re.M)


def run_check(base_url: str, *options: str, profile: str = "trimble") -> subprocess.CompletedProcess:
    """`fleetbox check <profile>` as a user runs it: a subprocess, its output captured."""
    command = [sys.executable, "-m", "mockserver", "check", profile, "--base-url", base_url, *options]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def failed_rules(run: subprocess.CompletedProcess) -> set[str]:
    """The ids of the rules a check run reported as failed."""
    return set(FAILED_RULE.findall(run.stdout))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """uvicorn serving `create_app()` in a background thread, stopped by `stop()`."""

    def __init__(self, settings: Settings | None = None, app=None) -> None:
        port = free_port()
        self.app = app or create_app(settings or Settings(port=port))
        config = uvicorn.Config(self.app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fleetbox test server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


class CheckedClient:
    """An httpx client whose every response must validate against `spec_file`: a documented status, and
    the schema and media type documented for it."""

    def __init__(self, base_url: str, spec_file: str, headers: dict | None = None) -> None:
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url, headers=headers or {}, timeout=30)
        self._schema = _schema(spec_file)

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        response = self.http.request(method, path, **kwargs)
        operation = self._schema.find_operation_by_path(method.lower(), path.split("?")[0])
        if operation is not None:
            response.read()
            # Schemathesis judges only the statuses an operation documents; an undocumented one is a
            # contract break of its own.
            documented = operation.responses.find_by_status_code(response.status_code)
            assert documented is not None, (
                f"{method} {path} answered {response.status_code}, which its spec does not document"
            )
            operation.validate_response(response)
        return response

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs) -> httpx.Response:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs) -> httpx.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def close(self) -> None:
        self.http.close()


_SCHEMAS: dict[str, object] = {}


def _schema(spec_file: str):
    if spec_file not in _SCHEMAS:
        _SCHEMAS[spec_file] = schemathesis.openapi.from_path(str(spec_path(spec_file)))
    return _SCHEMAS[spec_file]


@dataclass
class SandboxHandle:
    """A sandbox created for one test, with clients for its control plane and its trimble API."""

    server_url: str
    data: dict

    @property
    def id(self) -> str:
        return self.data["id"]

    @cached_property
    def control(self) -> CheckedClient:
        return CheckedClient(f"{self.server_url}/__sandbox", "sandbox.yaml")

    def trimble_account(self, kind: str) -> dict:
        return next(a for a in self.data["credentials"]["trimble"] if a["type"] == kind)

    def trimble(self, kind: str = "direct", account_id: int | None = None) -> CheckedClient:
        """A client authenticated as the first account of `kind` (or a partner's customer)."""
        anonymous = CheckedClient(self.server_url + TRIMBLE_BASE, "trimble.yaml")
        body = {"apiKey": self.trimble_account(kind)["apiKey"]}
        if account_id is not None:
            body["accountId"] = account_id
        response = anonymous.post("/accounts/authenticate", json=body)
        assert response.status_code == 200, response.text
        anonymous.close()
        token = response.json()["token"]
        return CheckedClient(self.server_url + TRIMBLE_BASE, "trimble.yaml", {"Authorization": f"bearer {token}"})

    def anonymous_trimble(self) -> CheckedClient:
        return CheckedClient(self.server_url + TRIMBLE_BASE, "trimble.yaml")

    # --- invers --------------------------------------------------------------------------------

    def invers_client(self, fleet: int) -> dict:
        """The API client of the sandbox's `fleet`-th fleet. In every generated world fleet 0 is a sharing
        partner of fleets 1 and 2 (which are not partners of each other) and fleet 3 is nobody's partner."""
        return self.data["credentials"]["invers"][fleet]

    def invers_token(self, fleet: int = 0) -> str:
        client = self.invers_client(fleet)
        response = httpx.post(
            f"{self.server_url}{INVERS_BASE}/auth/oauth/token",
            params={"grant_type": "client_credentials"},
            auth=(client["client_id"], client["client_secret"]),
        )
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def invers(self, fleet: int = 0) -> CheckedClient:
        """A client with a bearer token of the `fleet`-th fleet's API client."""
        return CheckedClient(
            self.server_url + INVERS_BASE, "invers.yaml", {"Authorization": f"Bearer {self.invers_token(fleet)}"}
        )

    def anonymous_invers(self) -> CheckedClient:
        return CheckedClient(self.server_url + INVERS_BASE, "invers.yaml")

    # --- hourfleet -----------------------------------------------------------------------------

    @property
    def hourfleet_app(self) -> dict:
        return self.data["credentials"]["hourfleet"]["client_applications"][0]

    def hourfleet_users(self, role: str = "user") -> list[dict]:
        return [u for u in self.data["credentials"]["hourfleet"]["users"] if u["role"] == role]

    def anonymous_hourfleet(self) -> CheckedClient:
        return CheckedClient(self.server_url + HOURFLEET_BASE, "hourfleet.yaml")

    def hourfleet_token(self, user: dict | None = None) -> dict:
        """A client-credentials token, or with `user` one through the authorization-code grant."""
        anonymous = self.anonymous_hourfleet()
        app = self.hourfleet_app
        secret = {"client_id": app["client_id"], "client_secret": app["client_secret"]}
        if user is None:
            response = anonymous.post("/oauth/token", data={"grant_type": "client_credentials", **secret})
        else:
            redirected = anonymous.post("/oauth/auth", data=login_form(app, user, state="s"))
            assert redirected.status_code == 302, redirected.text
            code = httpx.URL(redirected.headers["location"]).params["code"]
            response = anonymous.post(
                "/oauth/token",
                data={"grant_type": "authorization_code", "code": code, "redirect_uri": app["redirect_uri"], **secret},
            )
        anonymous.close()
        assert response.status_code == 200, response.text
        return response.json()

    def hourfleet(self, role: str = "user", index: int = 0) -> CheckedClient:
        """A client acting as the `index`th user of `role` (`user`, `ops`), or as the client application."""
        user = None if role == "clientapplication" else self.hourfleet_users(role)[index]
        token = self.hourfleet_token(user)["access_token"]
        return CheckedClient(self.server_url + HOURFLEET_BASE, "hourfleet.yaml", {"Authorization": f"Bearer {token}"})


def wait_for(condition, timeout: float = 5.0) -> None:
    """Poll `condition` until it holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
