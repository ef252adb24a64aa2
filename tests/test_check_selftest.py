"""The conformance suite judges: it passes against the sandbox, and against sandboxes with planted bugs
it fails, naming the broken rule. `fleetbox check` runs as a real subprocess against a sandbox served in
this process, so each planted bug is a monkeypatch of the running server."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

import pytest

from conformance.contract import load_spec as real_load_spec
from mockserver import app as app_module
from mockserver.app import create_app
from mockserver.engine.errors import Unauthenticated
from mockserver.settings import Settings
from mockserver.trimble import fleet, handlers, paging
from mockserver.trimble import state as trimble_state
from mockserver.trimble.fleet import Scope
from mockserver.trimble.handlers import accounts

from .support import TRIMBLE_BASE, LiveServer, failed_rules, free_port, run_check

pytestmark = pytest.mark.slow

# The scenario layer: every rule but Schemathesis' (which the clean run below covers too).
SCENARIOS = ["TRIMBLE-AUTH-*", "TRIMBLE-VEH-*", "TRIMBLE-PAGE-*", "TRIMBLE-GRP-*", "TRIMBLE-DRV-*", "TRIMBLE-SCOPE-*"]
def test_the_suite_passes_against_the_sandbox(server, tmp_path):
    run = run_check(server.url + TRIMBLE_BASE, "--seed", "1", "--junit-xml", str(tmp_path / "check.xml"), "--html", str(tmp_path / "check.html"))
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]
    assert re.search(r"\d+ rules: \d+ passed, 0 failed", run.stdout) and "not checked" not in run.stdout
    assert failed_rules(run) == set()
    assert "TRIMBLE-CONTRACT-createVehicles" in run.stdout and "TRIMBLE-STATEFUL-01" in run.stdout
    assert (tmp_path / "check.xml").read_text().count("<testcase") == run.stdout.count("\n  ok ")
    assert "TRIMBLE-VEH-07" in (tmp_path / "check.html").read_text()


# --- planted bugs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlantedBug:
    """A bug planted in the running sandbox, and the rule that must name it."""

    description: str
    rule: str
    plant: Callable[[pytest.MonkeyPatch], None]


def _drop_duplicates_from_error(monkeypatch):
    real = fleet.create_members

    def create_members(*args, **kwargs):
        return {"data": real(*args, **kwargs)["data"]}

    monkeypatch.setattr(fleet, "create_members", create_members)


def _answer_unknown_keys_with_401(monkeypatch):
    # Handlers are resolved at start-up; the name the handler raises for an unknown key is looked up
    # when it runs.
    monkeypatch.setattr(accounts, "InvalidInput", lambda message: Unauthenticated(message))


def _next_link_one_page_too_far(monkeypatch):
    real = paging.collection

    def collection(items, total, offset, limit, request_url, base_url, carried):
        page = real(items, total, offset, limit, request_url, base_url, carried)
        if "next" in page:
            page["next"] = real([], total + limit, offset + limit, limit, request_url, base_url, carried)["next"]
        return page

    monkeypatch.setattr(handlers, "collection", collection)


def _ignore_sort_direction(monkeypatch):
    real = fleet.sorted_members
    monkeypatch.setattr(fleet, "sorted_members", lambda members, kind, expression, direction: real(members, kind, expression, "ASC"))


def _keep_modified_on_on_rename(monkeypatch):
    real = fleet.rename_members
    monkeypatch.setattr(fleet, "rename_members", lambda f, kind, items, tick: real(f, kind, items, lambda: next(iter(f.members[kind.noun].values())).modified_on))


def _one_scope_per_account(monkeypatch):
    def build_fleets(accounts_):
        return {account.id: fleet.Fleet(account, Scope(partner_cloud=account.type != "direct")) for account in accounts_.values()}

    monkeypatch.setattr(trimble_state, "build_fleets", build_fleets)


def _forget_renamed_groups(monkeypatch):
    from mockserver.trimble import groups

    monkeypatch.setattr(groups, "rename_group", lambda f, group_id, name, tick: {"message": "Successfully updated vehicle group.", "data": True})


PLANTED = [
    PlantedBug("duplicates silently dropped from `error`", "TRIMBLE-VEH-03", _drop_duplicates_from_error),
    PlantedBug("an unknown apiKey answered 401", "TRIMBLE-AUTH-04", _answer_unknown_keys_with_401),
    PlantedBug("the `next` link off by one page", "TRIMBLE-PAGE-03", _next_link_one_page_too_far),
    PlantedBug("`sortDirection` ignored", "TRIMBLE-PAGE-10", _ignore_sort_direction),
    PlantedBug("`ModifiedOn` not changed by a rename", "TRIMBLE-VEH-18", _keep_modified_on_on_rename),
    PlantedBug("a partner cloud's accounts not sharing one scope", "TRIMBLE-SCOPE-01", _one_scope_per_account),
    PlantedBug("a group rename answered but not applied", "TRIMBLE-GRP-04", _forget_renamed_groups),
]


@pytest.mark.parametrize("bug", PLANTED, ids=[bug.rule for bug in PLANTED])
def test_a_planted_bug_is_named_by_its_rule(server, monkeypatch, bug):
    bug.plant(monkeypatch)
    run = run_check(server.url + TRIMBLE_BASE, "--only", *SCENARIOS)
    assert run.returncode == 1, f"{bug.description} went unnoticed:\n{run.stdout[-3000:]}{run.stderr[-2000:]}"
    assert bug.rule in failed_rules(run), f"{bug.description}: failed rules were {sorted(failed_rules(run))}"
    assert f"{bug.rule}: " in run.stdout.split("failures")[-1], "the failure is explained in the summary"


def test_fifty_one_vehicles_accepted_is_named(monkeypatch):
    """A sandbox whose contract allows 100 vehicles a batch (the check still judges by the real spec)."""

    def load_spec(name):
        spec = real_load_spec(name)
        if name == "trimble.yaml":
            spec["components"]["schemas"]["VehicleBatch"]["maxItems"] = 100
        return spec

    monkeypatch.setattr(app_module, "load_spec", load_spec)
    lenient = LiveServer(app=create_app(Settings(port=free_port()))).start()
    try:
        run = run_check(lenient.url + TRIMBLE_BASE, "--only", "TRIMBLE-VEH-*")
        assert run.returncode == 1
        # POST and PUT share the batch schema, so both batch-size rules name the bug.
        assert failed_rules(run) == {"TRIMBLE-VEH-07", "TRIMBLE-VEH-19"}
    finally:
        lenient.stop()


def test_a_response_off_the_contract_is_named_by_schemathesis(server, monkeypatch):
    from mockserver.trimble import views

    real = views.group_view
    monkeypatch.setattr(views, "group_view", lambda group: {**real(group), "vehicleGroupId": str(group.id)})
    run = run_check(server.url + TRIMBLE_BASE, "--only", "TRIMBLE-CONTRACT-listVehicleGroups", "--max-examples", "5", "--seed", "1")
    assert run.returncode == 1
    assert failed_rules(run) == {"TRIMBLE-CONTRACT-listVehicleGroups"}
    assert "Response violates schema" in run.stdout


def test_usage_problems_exit_with_2_and_one_line(server, tmp_path):
    unreachable = run_check(f"http://127.0.0.1:{free_port()}/trimble/api/assets/v1")
    assert unreachable.returncode == 2 and "cannot reach" in unreachable.stderr
    assert len(unreachable.stderr.strip().splitlines()) == 1
    wrong = run_check(server.url + "/__sandbox")
    assert wrong.returncode == 2 and "does not look like a trimble API" in wrong.stderr
    deviations = tmp_path / "deviations.yaml"
    deviations.write_text("TRIMBLE-NOPE-01: no such rule\n")
    unknown = run_check(server.url + TRIMBLE_BASE, "--deviations", str(deviations), "--only", "TRIMBLE-AUTH-01")
    assert unknown.returncode == 2 and "TRIMBLE-NOPE-01" in unknown.stdout + unknown.stderr
    nothing = run_check(server.url + TRIMBLE_BASE, "--only", "TRIMBLE-NOPE-*")
    assert nothing.returncode == 2 and "matches no rule" in nothing.stdout + nothing.stderr
    bad_credentials = tmp_path / "credentials.json"
    bad_credentials.write_text('[{"accountId": 1, "accountName": "x", "apiKey": "nope", "type": "direct"}]')
    refused = run_check(server.url + TRIMBLE_BASE, "--credentials", str(bad_credentials))
    assert refused.returncode == 2 and "were refused" in refused.stderr


def test_accepted_deviations_are_reported_not_hidden(server, monkeypatch, tmp_path):
    _ignore_sort_direction(monkeypatch)
    deviations = tmp_path / "deviations.yaml"
    deviations.write_text("TRIMBLE-PAGE-10: our reimplementation always sorts ascending (ticket 42)\n")
    run = run_check(server.url + TRIMBLE_BASE, "--deviations", str(deviations), "--only", "TRIMBLE-PAGE-*")
    assert run.returncode == 0, run.stdout[-3000:]
    assert "dev  TRIMBLE-PAGE-10" in run.stdout
    assert "TRIMBLE-PAGE-10: our reimplementation always sorts ascending (ticket 42)" in run.stdout
    assert "1 accepted as deviations" in run.stdout


def test_the_suite_runs_from_a_consumers_pytest(server, tmp_path, monkeypatch):
    """As conformance/README.md shows: the plugin and the rule modules in an ordinary pytest run."""
    _drop_duplicates_from_error(monkeypatch)
    junit = tmp_path / "rules.xml"
    command = [
        sys.executable, "-m", "pytest", "-p", "conformance.plugin", "--pyargs", "conformance.trimble",
        "--fleetbox-base-url", server.url + TRIMBLE_BASE, "--fleetbox-only", "TRIMBLE-VEH-0*",
        "--fleetbox-junit-xml", str(junit), "-p", "no:cacheprovider",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 1, run.stdout[-3000:]
    assert "fleetbox rules" in run.stdout and re.search(r"\d+ rules: \d+ passed, [1-9]\d* failed", run.stdout)
    assert "TRIMBLE-VEH-03: a vehicle whose id and name already exist" in junit.read_text()
