"""`fleetbox check invers` judges: it passes against the sandbox, puts back what it changes, and against
sandboxes with planted bugs it fails, naming the broken rule. Each planted bug is a monkeypatch of the
server running in this process (handlers and world methods look these names up when they run)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Callable

import httpx
import pytest

from mockserver.engine.tokens import Grant
from mockserver.invers import access, headers, sharing
from mockserver.invers.records import Vehicle
from mockserver.invers.world import InversWorld
from ..support import INVERS_BASE, failed_rules, run_check

pytestmark = pytest.mark.slow

# Every scenario rule; the contract layer is covered by the clean run.
SCENARIOS = ["INVERS-AUTH-*", "INVERS-HDR-*", "INVERS-RATE-*", "INVERS-VEH-*", "INVERS-CMD-*", "INVERS-SHARE-*", "INVERS-SHARED-*", "INVERS-END-*", "INVERS-EVT-*"]


def check(server, *options: str):
    return run_check(server.url + INVERS_BASE, *options, profile="invers")


def test_the_suite_passes_against_the_sandbox(server, tmp_path):
    run = check(server, "--seed", "1", "--junit-xml", str(tmp_path / "check.xml"))
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]
    assert re.search(r"\d+ rules: \d+ passed, 0 failed", run.stdout) and "not checked" not in run.stdout
    assert "INVERS-CONTRACT-startSharing" in run.stdout and "INVERS-STATEFUL-01" in run.stdout
    assert (tmp_path / "check.xml").read_text().count("<testcase") == run.stdout.count("\n  ok ")


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
    run = check(server, "--credentials", str(credentials), "--sandbox-url", f"{server.url}/__sandbox/sandboxes/{sandbox.id}", "--only", *SCENARIOS)
    assert run.returncode == 0, run.stdout[-5000:]
    after = sandbox.control.get(f"/sandboxes/{sandbox.id}/state").json()
    assert comparable(after) == comparable(before)


def test_without_a_control_plane_the_sandbox_rules_are_not_checked(server, sandbox, tmp_path):
    credentials = tmp_path / "credentials.json"
    credentials.write_text(json.dumps(sandbox.data["credentials"]["invers"]))
    run = check(server, "--credentials", str(credentials), "--only", "INVERS-RATE-03", "INVERS-EVT-01", "INVERS-AUTH-01")
    assert run.returncode == 0, run.stdout[-3000:]
    assert "1 passed, 0 failed, 0 accepted as deviations, 2 not checked" in run.stdout


def test_a_credentials_file_without_partners_leaves_sharing_rules_not_checked(server, sandbox, tmp_path):
    credentials = tmp_path / "credentials.json"
    # Fleets 1 and 2 are not partners of each other, and fleet 3 is nobody's.
    credentials.write_text(json.dumps(sandbox.data["credentials"]["invers"][1:]))
    run = check(server, "--credentials", str(credentials), "--only", "INVERS-SHARE-02", "INVERS-SHARED-04")
    assert run.returncode == 0 and "2 not checked" in run.stdout


# --- planted bugs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlantedBug:
    """A bug planted in the running sandbox, the rule that must name it, and the rules to run."""

    description: str
    rule: str
    only: tuple[str, ...]
    plant: Callable[[pytest.MonkeyPatch], None]


def _owner_commands_while_shared(monkeypatch):
    monkeypatch.setattr(access, "require_commandable", lambda vehicle, fleet_id: None)


def _partner_edits_master_data(monkeypatch):
    real = access.require_owner
    monkeypatch.setattr(access, "require_owner", lambda vehicle, fleet_id, action: None if "master data" in action else real(vehicle, fleet_id, action))


def _shared_vehicles_left_out_of_the_partners_list(monkeypatch):
    real = InversWorld.list_vehicles

    def list_vehicles(self, client, limit, page_token, q):
        page = real(self, client, limit, page_token, q)
        return {**page, "items": [v for v in page["items"] if v["fleet_id"] == client.fleet_id]}

    monkeypatch.setattr(InversWorld, "list_vehicles", list_vehicles)


def _flow_id_header_renamed(monkeypatch):
    monkeypatch.setattr(headers, "FLOW_ID", "X-Flow-ID")


def _expired_tokens_accepted(monkeypatch):
    monkeypatch.setattr(Grant, "expired_at", lambda self, instant: False)


def _sharings_outlive_their_end(monkeypatch):
    monkeypatch.setattr(sharing, "end_expired", lambda shared, clock, announce: None)


def _non_partners_receive_vehicles(monkeypatch):
    # Every fleet has an entry among the partners, so any existing fleet is let through.
    monkeypatch.setattr(sharing, "check_partner", lambda partners, owner_id, partner_id: None if partner_id in partners else sharing.ReferencedResourceNotFound("no such fleet"))


def _events_for_the_owner_only(monkeypatch):
    monkeypatch.setattr(Vehicle, "audience", lambda self: (self.fleet_id,))


PLANTED = [
    PlantedBug("the owner's command accepted while shared", "INVERS-SHARED-04", ("INVERS-SHARED-*",), _owner_commands_while_shared),
    PlantedBug("a partner's master-data PATCH accepted", "INVERS-SHARED-06", ("INVERS-SHARED-*",), _partner_edits_master_data),
    PlantedBug("the shared vehicle missing from the partner's list", "INVERS-SHARED-01", ("INVERS-SHARED-*",), _shared_vehicles_left_out_of_the_partners_list),
    PlantedBug("X-INVERS-Flow-ID missing", "INVERS-HDR-01", ("INVERS-HDR-*", "INVERS-AUTH-*"), _flow_id_header_renamed),
    PlantedBug("an expired token accepted", "INVERS-AUTH-06", ("INVERS-AUTH-*",), _expired_tokens_accepted),
    PlantedBug("a sharing that outlives its ends_at", "INVERS-END-04", ("INVERS-END-*",), _sharings_outlive_their_end),
    PlantedBug("a vehicle shared with a fleet that is not a partner", "INVERS-SHARE-04", ("INVERS-SHARE-*",), _non_partners_receive_vehicles),
    PlantedBug("a shared vehicle's events withheld from the partner", "INVERS-EVT-01", ("INVERS-EVT-0[1-4]",), _events_for_the_owner_only),
]


@pytest.mark.parametrize("bug", PLANTED, ids=[bug.rule for bug in PLANTED])
def test_a_planted_bug_is_named_by_its_rule(server, monkeypatch, bug):
    bug.plant(monkeypatch)
    run = check(server, "--only", *bug.only)
    assert run.returncode == 1, f"{bug.description} went unnoticed:\n{run.stdout[-3000:]}{run.stderr[-2000:]}"
    assert bug.rule in failed_rules(run), f"{bug.description}: failed rules were {sorted(failed_rules(run))}"
    assert f"{bug.rule}: " in run.stdout.split("failures")[-1], "the failure is explained in the summary"


def test_a_response_off_the_contract_is_named_by_schemathesis(server, monkeypatch):
    from mockserver.invers import views

    real = views.fleet_reference
    monkeypatch.setattr(views, "fleet_reference", lambda fleet: {**real(fleet), "fleet_id": 17})
    run = check(server, "--only", "INVERS-CONTRACT-listSharingPartners", "--max-examples", "5", "--seed", "1")
    assert run.returncode == 1
    assert failed_rules(run) == {"INVERS-CONTRACT-listSharingPartners"}
    assert "Response violates schema" in run.stdout


def test_usage_problems_exit_with_2_and_one_line(server, tmp_path):
    wrong = run_check(server.url + "/trimble/api/assets/v1", profile="invers")
    assert wrong.returncode == 2 and "does not look like a invers API" in wrong.stderr
    refused = tmp_path / "credentials.json"
    refused.write_text('[{"client_id": "nope", "client_secret": "x", "fleet_id": "F", "name": "n"}]')
    run = check(server, "--credentials", str(refused))
    assert run.returncode == 2 and "were refused" in run.stderr and len(run.stderr.strip().splitlines()) == 1
    malformed = tmp_path / "malformed.json"
    malformed.write_text('[{"client_id": "nope"}]')
    assert check(server, "--credentials", str(malformed)).returncode == 2
    assert httpx.get(f"{server.url}/__sandbox/health").status_code == 200
