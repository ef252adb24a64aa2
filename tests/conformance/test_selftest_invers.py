"""What only the invers self-tests check: the rules put back what they change, credentials from a file
with and without the sandbox's control plane or sharing partners, and usage problems."""

from __future__ import annotations

import json

import httpx
import pytest

from ..support import run_check
from .planted_invers import SCENARIOS
from .planted_invers import SELFTEST as INVERS

pytestmark = pytest.mark.slow


def comparable(state: dict) -> dict:
    """The invers world without the timestamps that commands and reads legitimately move."""
    return {
        v["id"]: (v["master_data"], v["sharing"], {name: entry["value"] for name, entry in v["state"].items()})
        for v in state["profiles"]["invers"]["vehicles"]
    }


def test_the_scenario_rules_put_back_what_they_change(server, sandbox, tmp_path):
    """As with a real fleet: credentials from a file, the sandbox's control plane named for the clock rules."""
    before = sandbox.control.get(f"/sandboxes/{sandbox.id}/state").json()
    credentials = tmp_path / "credentials.json"
    credentials.write_text(json.dumps(sandbox.data["credentials"]["invers"]))
    control = f"{server.url}/__sandbox/sandboxes/{sandbox.id}"
    run = INVERS.check(server, "--credentials", str(credentials), "--sandbox-url", control, "--only", *SCENARIOS)
    assert run.returncode == 0, run.stdout[-5000:]
    after = sandbox.control.get(f"/sandboxes/{sandbox.id}/state").json()
    assert comparable(after) == comparable(before)


def test_without_a_control_plane_the_sandbox_rules_are_not_checked(server, sandbox, tmp_path):
    credentials = tmp_path / "credentials.json"
    credentials.write_text(json.dumps(sandbox.data["credentials"]["invers"]))
    run = INVERS.check(
        server, "--credentials", str(credentials), "--only", "INVERS-RATE-03", "INVERS-EVT-01", "INVERS-AUTH-01"
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert "1 passed, 0 failed, 0 accepted as deviations, 2 not checked" in run.stdout


def test_a_credentials_file_without_partners_leaves_sharing_rules_not_checked(server, sandbox, tmp_path):
    credentials = tmp_path / "credentials.json"
    # Fleets 1 and 2 are not partners of each other, and fleet 3 is nobody's.
    credentials.write_text(json.dumps(sandbox.data["credentials"]["invers"][1:]))
    run = INVERS.check(server, "--credentials", str(credentials), "--only", "INVERS-SHARE-02", "INVERS-SHARED-04")
    assert run.returncode == 0 and "2 not checked" in run.stdout


def test_usage_problems_exit_with_2_and_one_line(server, tmp_path):
    wrong = run_check(server.url + "/trimble/api/assets/v1", profile="invers")
    assert wrong.returncode == 2 and "does not look like a invers API" in wrong.stderr
    refused = tmp_path / "credentials.json"
    refused.write_text('[{"client_id": "nope", "client_secret": "x", "fleet_id": "F", "name": "n"}]')
    run = INVERS.check(server, "--credentials", str(refused))
    assert run.returncode == 2 and "were refused" in run.stderr and len(run.stderr.strip().splitlines()) == 1
    malformed = tmp_path / "malformed.json"
    malformed.write_text('[{"client_id": "nope"}]')
    assert INVERS.check(server, "--credentials", str(malformed)).returncode == 2
    assert httpx.get(f"{server.url}/__sandbox/health").status_code == 200
