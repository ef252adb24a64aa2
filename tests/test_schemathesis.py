"""Schemathesis over every operation of trimble.yaml, invers.yaml, hourfleet.yaml and sandbox.yaml, against a
running sandbox: positive and negative data, all checks, all phases; no 5xx, every response valid against the spec.

The seed is fixed so CI is reproducible; set FLEETBOX_ST_SEED (and FLEETBOX_ST_EXAMPLES) to explore.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import pytest

from conformance.contract import spec_path
from conformance.hourfleet import SCHEMATHESIS_CONFIG as HOURFLEET_CONFIG
from conformance.invers import SCHEMATHESIS_CONFIG as INVERS_CONFIG
from conformance.trimble import SCHEMATHESIS_CONFIG as TRIMBLE_CONFIG
from mockserver.settings import Settings

from .support import HOURFLEET_BASE, INVERS_BASE, TRIMBLE_BASE, LiveServer

CONFIG = Path(__file__).parent / "schemathesis"
SEED = os.environ.get("FLEETBOX_ST_SEED", "1")
EXAMPLES = os.environ.get("FLEETBOX_ST_EXAMPLES", "20")

pytestmark = pytest.mark.slow


def schemathesis(spec: str, base_url: str, config: Path, *extra: str) -> subprocess.CompletedProcess:
    command = [
        str(Path(sys.executable).parent / "st"),
        "--config-file",
        str(config),
        "run",
        spec if "://" in spec else str(spec_path(spec)),
        "--url",
        base_url,
        # Every check is on by default in Schemathesis 4; the config files switch off what they must.
        "--max-examples",
        EXAMPLES,
        "--seed",
        SEED,
        *extra,
    ]
    # Run outside the source tree: Schemathesis writes its caches into the working directory.
    with tempfile.TemporaryDirectory() as scratch:
        return subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=scratch)


def verdict(run: subprocess.CompletedProcess) -> str:
    """The failures and summary, without the (sometimes enormous) reproduction commands."""
    lines = [line for line in run.stdout.splitlines() if not line.lstrip().startswith("curl ")]
    return "\n".join(lines)[-8000:] + run.stderr[-2000:]


def test_the_trimble_api_conforms_to_its_spec(sandbox):
    # A partner token, so GET /accounts is answerable; its own sandbox, so nothing else is disturbed.
    client = sandbox.trimble("partner")
    token = client.http.headers["Authorization"]
    # The suite's own settings: the sandbox is judged exactly as `fleetbox check` judges any server.
    run = schemathesis(
        "trimble.yaml", sandbox.server_url + TRIMBLE_BASE, TRIMBLE_CONFIG, "-H", f"Authorization: {token}"
    )
    assert run.returncode == 0, verdict(run)
    assert "passed" in run.stdout and "failed" not in run.stdout.split("SUMMARY")[-1]


def test_the_invers_api_conforms_to_its_spec(sandbox):
    # Fleet 0 has sharing partners, so sharing requests can succeed; the suite's settings, as for trimble.
    token = sandbox.invers_token(0)
    run = schemathesis(
        "invers.yaml", sandbox.server_url + INVERS_BASE, INVERS_CONFIG, "-H", f"Authorization: Bearer {token}"
    )
    assert run.returncode == 0, verdict(run)
    # Its summary warns that the token endpoint "failed" authentication: it wants Basic credentials (below).
    assert "passed" in run.stdout and not re.search(r"\d+ failed", run.stdout.split("SUMMARY")[-1])


def test_the_invers_token_endpoint_conforms_to_its_spec(sandbox):
    # The token endpoint takes HTTP Basic client credentials rather than a bearer token.
    client = sandbox.invers_client(0)
    run = schemathesis(
        "invers.yaml",
        sandbox.server_url + INVERS_BASE,
        INVERS_CONFIG,
        "--include-operation-id",
        "issueToken",
        "--auth",
        f"{client['client_id']}:{client['client_secret']}",
        # One operation has no links to follow.
        "--phases",
        "examples,coverage,fuzzing",
    )
    assert run.returncode == 0, verdict(run)


def test_the_hourfleet_api_conforms_to_its_spec(sandbox):
    # The operator: a user who may also manage the car share, so most operations reach their success.
    token = sandbox.hourfleet_token(sandbox.hourfleet_users("ops")[0])["access_token"]
    run = schemathesis(
        "hourfleet.yaml", sandbox.server_url + HOURFLEET_BASE, HOURFLEET_CONFIG, "-H", f"Authorization: Bearer {token}"
    )
    assert run.returncode == 0, verdict(run)
    summary = run.stdout.split("SUMMARY")[-1]
    # Its warnings may say "Authentication failed" (operations only other roles may use); failures may not be.
    assert re.search(r"\d+ generated, \d+ passed", summary) and not re.search(r"\d+ failures?\b", summary), verdict(run)


def test_the_control_plane_conforms_to_its_spec():
    # A server of its own: the run creates, resets and imports sandboxes at will. Without a control token
    # it serves sandbox.yaml without security requirements (control/access.py), and is judged by that.
    server = LiveServer(Settings(max_sandboxes=16)).start()
    try:
        spec = f"{server.url}/__sandbox/openapi.json"
        run = schemathesis(spec, f"{server.url}/__sandbox", CONFIG / "sandbox.toml")
        assert run.returncode == 0, verdict(run)
        health = httpx.get(f"{server.url}/__sandbox/health").json()
        assert health["status"] == "ok"
    finally:
        server.stop()


def test_the_control_plane_with_a_control_token_conforms_to_its_spec():
    # sandbox.yaml as it is: every operation but the health check wants the bearer. Schemathesis sends
    # the control token, and also leaves it out or spoils it to check that the server refuses (ST401).
    token = "st-control-token"
    server = LiveServer(Settings(max_sandboxes=16, control_token=token)).start()
    try:
        url = f"{server.url}/__sandbox"
        run = schemathesis("sandbox.yaml", url, CONFIG / "sandbox.toml", "-H", f"Authorization: Bearer {token}")
        assert run.returncode == 0, verdict(run)
        assert httpx.get(f"{url}/sandboxes").status_code == 401
    finally:
        server.stop()
