"""Start, reach and stop the servers under test: fleetbox with sandboxes of its own, and Prism on each spec."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PRISM_HOME = ROOT / "bench" / ".prism"
# 5.14.2 is the last Prism release that runs on Node 20 (5.15+ wants Node 24).
PRISM_PACKAGE = "@stoplight/prism-cli@5.14.2"
# A quota the load cannot reach (the control plane's largest limit per minute, about 16,700 requests a
# second), so no 429 interferes while the quota's bookkeeping still runs as it does for a user.
HIGH_QUOTA = {"limit": 1_000_000, "windowSeconds": 60}
TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pinned(cpu: int) -> list[str]:
    """A `taskset` prefix when the machine has a spare CPU for the load generator."""
    return ["taskset", "-c", str(cpu)] if shutil.which("taskset") and (os.cpu_count() or 1) >= 2 else []


def ensure_prism() -> Path:
    binary = PRISM_HOME / "node_modules" / ".bin" / "prism"
    if not binary.exists():
        if not shutil.which("npm"):
            sys.exit("bench: npm is needed to install Prism")
        print(f"installing {PRISM_PACKAGE} into {PRISM_HOME} ...", flush=True)
        PRISM_HOME.mkdir(parents=True, exist_ok=True)
        install = ["npm", "install", "--prefix", str(PRISM_HOME), "--no-audit", "--no-fund", "--loglevel=error"]
        subprocess.run(install + [PRISM_PACKAGE], check=True, timeout=600)
    return binary


def wait_until(ready, timeout: float = 60) -> float:
    """Poll `ready()` until it holds; return how long that took."""
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        try:
            if ready():
                return time.perf_counter() - began
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise TimeoutError("server did not come up")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Server:
    """A server process under test, pinned to CPU 0, and the time it took to answer its first request."""

    name: str
    process: subprocess.Popen
    root: str
    startup_seconds: float = 0.0

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Stop this process by its PID: politely, then for good."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def start(name: str, command: Callable[[int], list[str]], ready_path: str, headers: dict, log) -> Server:
    """Start `command(port)` pinned to CPU 0 and wait until GET `ready_path` answers 200 (stopped if it never does)."""
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    began = time.perf_counter()
    process = subprocess.Popen(pinned(0) + command(port), stdout=log, stderr=log)
    server = Server(name, process, root)
    try:
        wait_until(lambda: alive_and(server, httpx.get(f"{root}{ready_path}", headers=headers).status_code == 200))
    except BaseException:
        server.stop()
        raise
    server.startup_seconds = time.perf_counter() - began
    return server


def alive_and(server: Server, answered: bool) -> bool:
    if not server.alive():
        raise RuntimeError(f"{server.name} exited with status {server.process.returncode} (see its log)")
    return answered


def start_fleetbox(log, extra: list[str]) -> Server:
    """`fleetbox serve` as a user starts it (`python -m mockserver serve --port P`), plus `extra` arguments."""

    def command(port: int) -> list[str]:
        return [sys.executable, "-m", "mockserver", "serve", "--port", str(port), *extra]

    return start("fleetbox", command, "/__sandbox/health", {}, log)


def start_prism(profile: str, ready_path: str, log) -> Server:
    """`prism mock openapi/<profile>.yaml`: it serves the spec's paths at its root and accepts any bearer token."""
    binary, spec = str(ensure_prism()), str(ROOT / "openapi" / f"{profile}.yaml")

    def command(port: int) -> list[str]:
        return [binary, "mock", spec, "-h", "127.0.0.1", "-p", str(port)]

    headers = {"Authorization": "Bearer x", "Accept": "application/json"}
    return start(f"Prism {profile}", command, ready_path, headers, log)


class Sandboxes:
    """fleetbox's sandboxes for the bench, made through the control plane and reached the vendors' way."""

    def __init__(self, root: str) -> None:
        self.root = root
        health = httpx.get(f"{root}/__sandbox/health", timeout=TIMEOUT).json()
        self.base_paths = {p["name"]: p["basePath"] for p in health["profiles"]}

    def create(self) -> dict:
        """A new sandbox of the default seed and size, with every quota it has raised out of the load's reach."""
        created = httpx.post(f"{self.root}/__sandbox/sandboxes", json={}, timeout=TIMEOUT)
        created.raise_for_status()
        sandbox = created.json()
        limits = f"{self.root}/__sandbox/sandboxes/{sandbox['id']}/rate-limits"
        quotas = httpx.get(limits, headers=self._access(sandbox), timeout=TIMEOUT).json()
        # Profiles without a quota (trimble's default) keep none, as a user's sandbox would.
        raised = {profile: HIGH_QUOTA for profile, quota in quotas.items() if quota is not None}
        if raised:
            httpx.put(limits, json=raised, headers=self._access(sandbox), timeout=TIMEOUT).raise_for_status()
        return sandbox

    def delete(self, sandbox: dict) -> None:
        url = f"{self.root}/__sandbox/sandboxes/{sandbox['id']}"
        httpx.delete(url, headers=self._access(sandbox), timeout=TIMEOUT)

    def token(self, profile: str, sandbox: dict) -> str:
        """A bearer token for the sandbox's first account of `profile`, obtained as the vendor hands them out."""
        base = self.root + self.base_paths[profile]
        credentials = sandbox["credentials"][profile]
        if profile == "trimble":
            key = next(a for a in credentials if a["type"] == "direct")["apiKey"]
            response = httpx.post(f"{base}/accounts/authenticate", json={"apiKey": key}, timeout=TIMEOUT)
            return _ok(response)["token"]
        if profile == "invers":
            client = credentials[0]
            response = httpx.post(
                f"{base}/auth/oauth/token",
                params={"grant_type": "client_credentials"},
                auth=(client["client_id"], client["client_secret"]),
                timeout=TIMEOUT,
            )
            return _ok(response)["access_token"]
        if profile == "hourfleet":
            # The client application's own token (role `clientapplication`), which may search cars.
            app = credentials["client_applications"][0]
            form = {
                "grant_type": "client_credentials",
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
            }
            return _ok(httpx.post(f"{base}/oauth/token", data=form, timeout=TIMEOUT))["access_token"]
        raise ValueError(f"no token flow for {profile}")

    @staticmethod
    def _access(sandbox: dict) -> dict:
        # Needed only when the server has a control token; harmless on an open control plane.
        return {"Authorization": f"Bearer {sandbox['accessKey']}"}


def _ok(response: httpx.Response) -> dict:
    if response.status_code != 200:
        raise RuntimeError(
            f"{response.request.method} {response.request.url}: {response.status_code} {response.text[:300]}"
        )
    return response.json()
