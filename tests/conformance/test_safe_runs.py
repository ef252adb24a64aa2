"""A check is safe against a real server: every rule that writes puts the target back as it found it,
also when it fails half-way; `--read-only` changes nothing; and the same seed gives the same verdicts."""

from __future__ import annotations

import copy
import json

import httpx
import pytest

from conformance.catalogue import loaded_rules
from conformance.contract import contract_of
from conformance.rules import SCENARIO

from ..support import failed_rules, run_check
from .standin import StandIn

pytestmark = pytest.mark.slow

PROFILES = ("trimble", "invers", "hourfleet")
# A fault of the sandbox that makes writing rules fail after they have created or changed something.
PLANTED_FAILURE = {
    "trimble": {"profile": "trimble", "method": "GET", "path": "/vehicles*", "status": 500},
    "invers": {"profile": "invers", "method": "PATCH", "path": "/vehicles/*/sharing", "status": 500},
    "hourfleet": {"profile": "hourfleet", "method": "PUT", "path": "/cars/*/bookings/*/approve", "status": 500},
}


# When something was last changed: a value put back is a change too, so no client can restore these.
CHANGE_TIMES = {"modified_at", "timestamp"}


def comparable(state: dict) -> dict:
    """A state export without what no client can put back: the sandbox's clock, which rules move forward,
    the counters that hand out new ids, and the times of the last change of what was put back."""
    state = copy.deepcopy(state)
    state.pop("clock", None)
    state["profiles"].get("trimble", {}).pop("sequences", None)
    return _without_change_times(state)


def _without_change_times(value):
    if isinstance(value, dict):
        return {k: _without_change_times(v) for k, v in value.items() if k not in CHANGE_TIMES}
    if isinstance(value, list):
        return [_without_change_times(v) for v in value]
    return value


def check(server, sandbox, profile: str, tmp_path, *options: str):
    credentials = tmp_path / "credentials.json"
    credentials.write_text(json.dumps(sandbox.data["credentials"][profile]))
    control = f"{server.url}/__sandbox/sandboxes/{sandbox.id}"
    base = server.url + contract_of(f"{profile}.yaml").base_path
    return run_check(base, "--credentials", str(credentials), "--sandbox-url", control, *options, profile=profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_a_failed_run_leaves_the_target_as_it_found_it(server, sandbox, tmp_path, profile):
    control = f"{server.url}/__sandbox/sandboxes/{sandbox.id}"
    assert httpx.post(f"{control}/faults", json=PLANTED_FAILURE[profile]).status_code == 201
    before = httpx.get(f"{control}/state").json()
    writing = [rule.id for rule in loaded_rules(profile) if rule.layer == SCENARIO and rule.writes]
    report = tmp_path / "report.json"
    run = check(server, sandbox, profile, tmp_path, "--json", str(report), "--only", *writing)
    assert run.returncode == 1, run.stdout[-3000:]
    # Rules failed half-way: after they had written (the report names what each one wrote).
    failed = {r["id"]: r for r in json.loads(report.read_text())["rules"] if r["verdict"] == "failed"}
    assert failed.keys() == failed_rules(run) and any(r["wrote"] for r in failed.values())
    assert "clean-up failed" not in run.stdout
    after = httpx.get(f"{control}/state").json()
    assert comparable(after) == comparable(before)


@pytest.mark.parametrize("profile", PROFILES)
def test_read_only_runs_only_rules_that_write_nothing_and_says_what_it_skipped(server, sandbox, tmp_path, profile):
    control = f"{server.url}/__sandbox/sandboxes/{sandbox.id}"
    before = httpx.get(f"{control}/state").json()
    report = tmp_path / "report.json"
    run = check(server, sandbox, profile, tmp_path, "--read-only", "--json", str(report), "--max-examples", "3")
    # No rule marked read-only tried to write (the suite would refuse the request and fail the rule).
    assert run.returncode == 0, run.stdout[-5000:]
    after = httpx.get(f"{control}/state").json()
    assert comparable(after) == comparable(before) and after["clock"] == before["clock"]
    rules = json.loads(report.read_text())["rules"]
    ran = [r for r in rules if r["verdict"] == "passed"]
    skipped = [r for r in rules if r["writes"]]
    assert ran and skipped and not any(r["wrote"] for r in ran)
    assert all(r["verdict"] == "not checked" and r["note"].startswith("not checked: --read-only") for r in skipped)
    for r in skipped[:3]:
        assert f"{r['id']}: not checked: --read-only, and it writes {r['writes']}" in run.stdout


def test_a_read_only_rule_that_writes_is_stopped(server, sandbox, tmp_path, monkeypatch):
    """A rule wrongly marked read-only cannot write in a read-only run: the request is refused and the rule fails."""
    from conformance.http import WATCH, quiet_client

    monkeypatch.setattr(WATCH, "read_only", True)
    monkeypatch.setattr(WATCH, "rule", "TRIMBLE-X-01")
    with quiet_client(server.url) as client, pytest.raises(Exception, match="TRIMBLE-X-01 is marked read-only"):
        client.post("/__sandbox/sandboxes", json={})
    with quiet_client(server.url) as client:
        assert client.get("/__sandbox/health").status_code == 200


def test_the_same_seed_gives_the_same_verdicts(sandbox, tmp_path):
    """Against a server that fails many rules (a stand-in answering fixed bodies), two runs with one seed agree
    rule by rule, Schemathesis' findings included."""
    credentials = tmp_path / "credentials.json"
    credentials.write_text(json.dumps(sandbox.data["credentials"]["trimble"]))
    standin = StandIn("trimble.yaml", contract_of("trimble.yaml").base_path).start()
    try:
        reports = []
        for run_number in (1, 2):
            report = tmp_path / f"run{run_number}.json"
            run = run_check(
                standin.url,
                "--credentials",
                str(credentials),
                "--seed",
                "7",
                "--max-examples",
                "3",
                "--json",
                str(report),
                "--only",
                "TRIMBLE-AUTH-*",
                "TRIMBLE-PAGE-*",
                "TRIMBLE-CONTRACT-*",
            )
            assert run.returncode == 1, run.stdout[-2000:]
            reports.append(json.loads(report.read_text()))
    finally:
        standin.stop()
    # Verdicts agree, and so do Schemathesis' findings (a scenario rule's message may name the time).
    first, second = (
        {r["id"]: (r["verdict"], r["expected"] if r["layer"] != "scenario" else None) for r in report["rules"]}
        for report in reports
    )
    assert first == second
    assert reports[0]["seed"] == reports[1]["seed"] == 7
    assert {verdict for verdict, _ in first.values()} >= {"passed", "failed"}
