"""The door from the command line: `fleetbox serve` refuses an open control plane on a non-loopback
address, takes a control token from a flag or $FLEETBOX_CONTROL_TOKEN, and `fleetbox check` borrows a
sandbox from a protected server with that token (and acts on it with the sandbox's access key)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import httpx
import pytest

from mockserver.cli import control_refusal

from ..support import INVERS_BASE, TRIMBLE_BASE, free_port

TOKEN = "cli-control-token"


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "FLEETBOX_CONTROL_TOKEN"}
    return {**env, **extra}


def serve(*options: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    command = [sys.executable, "-m", "mockserver", "serve", "--size", "5", *options]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env or environment()
    )


def started(process: subprocess.Popen, port: int) -> subprocess.Popen:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/__sandbox/health", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            stop(process)
            pytest.fail(f"fleetbox serve did not start: {process.communicate()}")
        time.sleep(0.2)


def stop(process: subprocess.Popen) -> tuple[str, str]:
    if process.poll() is None:
        process.terminate()
    return process.communicate(timeout=15)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.1", "fleet.example.com"])
def test_serve_refuses_an_open_control_plane_off_loopback(host):
    process = serve("--host", host, "--port", str(free_port()))
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2, (out, err)
    assert f"--host {host} is not a loopback address" in err
    assert "--control-token" in err and "--insecure-control" in err and "$FLEETBOX_CONTROL_TOKEN" in err
    assert "fleetbox sandbox on" not in out  # it never got as far as serving


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_hosts_need_no_control_token(host):
    assert control_refusal(host, None, False) is None
    assert control_refusal("0.0.0.0", None, False) is not None  # the same call can refuse


def test_serve_refuses_an_empty_control_token():
    process = serve("--control-token", "", "--port", str(free_port()))
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2 and "control token must be non-empty" in err


def test_serve_binds_off_loopback_with_insecure_control_and_says_so():
    port = free_port()
    process = started(serve("--host", "0.0.0.0", "--port", str(port), "--insecure-control"), port)
    try:
        assert httpx.get(f"http://127.0.0.1:{port}/__sandbox/sandboxes").status_code == 200
    finally:
        _, err = stop(process)
    assert "--insecure-control: the control plane on 0.0.0.0 is open to anyone" in err


def test_serve_binds_off_loopback_with_a_token_from_the_environment():
    port = free_port()
    process = started(
        serve("--host", "0.0.0.0", "--port", str(port), env=environment(FLEETBOX_CONTROL_TOKEN=TOKEN)), port
    )
    try:
        url = f"http://127.0.0.1:{port}/__sandbox/sandboxes"
        assert httpx.get(url).status_code == 401
        assert httpx.get(url, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    finally:
        out, _ = stop(process)
    assert "needs `Authorization: Bearer <control token>`" in out


@pytest.fixture(scope="module")
def protected():
    """`fleetbox serve --control-token` on loopback."""
    port = free_port()
    process = started(serve("--port", str(port), "--control-token", TOKEN), port)
    yield f"http://127.0.0.1:{port}"
    stop(process)


def check(server: str, profile: str, base: str, *options: str, env: dict[str, str] | None = None):
    command = [sys.executable, "-m", "mockserver", "check", profile, "--base-url", server + base, *options]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, env=env or environment())


def sandboxes(server: str) -> list[str]:
    listed = httpx.get(f"{server}/__sandbox/sandboxes", headers={"Authorization": f"Bearer {TOKEN}"})
    return [s["id"] for s in listed.json()["sandboxes"]]


def test_check_without_the_token_says_what_to_pass(protected):
    run = check(protected, "trimble", TRIMBLE_BASE)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "protects its control plane" in run.stderr and "--control-token" in run.stderr
    assert sandboxes(protected) == ["default"]


def test_check_trimble_passes_against_a_protected_server_with_the_token(protected):
    run = check(protected, "trimble", TRIMBLE_BASE, "--control-token", TOKEN)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert re.search(r"\d+ rules: \d+ passed, 0 failed", run.stdout), run.stdout[-2000:]
    # The borrowed sandbox was given back.
    assert sandboxes(protected) == ["default"]


def test_rules_that_need_the_control_plane_run_with_the_borrowed_sandboxs_key(protected):
    # The token from the environment this time; the events and quota rules drive the sandbox's control plane.
    env = environment(FLEETBOX_CONTROL_TOKEN=TOKEN)
    run = check(protected, "invers", INVERS_BASE, "--only", "INVERS-EVT-01", "INVERS-RATE-03", env=env)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert re.search(r"ok +INVERS-EVT-01", run.stdout) and re.search(r"ok +INVERS-RATE-03", run.stdout), run.stdout
    assert sandboxes(protected) == ["default"]
