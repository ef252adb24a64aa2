"""Fixtures of the plugin's tests: pytest runs in a subprocess (as a fleetbox user runs them), and a fleetbox
server of their own started with `python -m mockserver serve` (the `FLEETBOX_URL` case)."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import free_port

ROOT = Path(__file__).parent.parent.parent


def plugin_options() -> list[str]:
    """Load the plugin by name unless fleetbox is installed with its entry point (loading it twice fails)."""
    installed = {entry.name for entry in importlib.metadata.entry_points(group="pytest11")}
    return [] if "fleetbox" in installed else ["-p", "mockserver.pytest_plugin"]


def run_pytest(
    directory: Path, *options: str, fleetbox_url: str | None = None, timeout: int = 600
) -> subprocess.CompletedProcess:
    """`python -m pytest` in `directory` with the plugin, its output captured."""
    env = {k: v for k, v in os.environ.items() if k not in ("FLEETBOX_URL", "PYTEST_XDIST_WORKER", "PYTEST_ADDOPTS")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if fleetbox_url:
        env["FLEETBOX_URL"] = fleetbox_url
    command = [sys.executable, "-m", "pytest", *plugin_options(), "-p", "no:cacheprovider", *options]
    return subprocess.run(command, cwd=directory, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def standalone_server() -> Iterator[str]:
    """`python -m mockserver serve` on a free loopback port; its URL. Stopped by its PID."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/__sandbox/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"fleetbox serve did not start: {process.stderr.read() if process.stderr else ''}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sandbox_ids(url: str) -> set[str]:
    """The sandboxes a server holds."""
    return {s["id"] for s in httpx.get(f"{url}/__sandbox/sandboxes", timeout=10).json()["sandboxes"]}
