"""What only the trimble self-tests check: a contract loosened in the sandbox, usage problems, accepted
deviations, and the rules run from a consumer's own pytest."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.contract import load_spec as real_load_spec
from mockserver import app as app_module
from mockserver.app import create_app
from mockserver.settings import Settings

from ..support import TRIMBLE_BASE, LiveServer, failed_rules, free_port, run_check
from .planted_trimble import drop_duplicates_from_error, ignore_sort_direction

pytestmark = pytest.mark.slow


def test_fifty_one_vehicles_accepted_is_named(monkeypatch):
    """A sandbox whose contract allows 100 vehicles a batch (the check still judges by the real spec)."""

    def load_spec(name):
        spec = real_load_spec(name)
        if Path(name).name == "trimble.yaml":
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
    ignore_sort_direction(monkeypatch)
    deviations = tmp_path / "deviations.yaml"
    deviations.write_text("TRIMBLE-PAGE-10: our reimplementation always sorts ascending (ticket 42)\n")
    run = run_check(server.url + TRIMBLE_BASE, "--deviations", str(deviations), "--only", "TRIMBLE-PAGE-*")
    assert run.returncode == 0, run.stdout[-3000:]
    assert "dev  TRIMBLE-PAGE-10" in run.stdout
    assert "TRIMBLE-PAGE-10: our reimplementation always sorts ascending (ticket 42)" in run.stdout
    assert "1 accepted as deviations" in run.stdout


def test_the_suite_runs_from_a_consumers_pytest(server, tmp_path, monkeypatch):
    """As conformance/README.md shows: the plugin and the rule modules in an ordinary pytest run."""
    drop_duplicates_from_error(monkeypatch)
    junit = tmp_path / "rules.xml"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "conformance.plugin",
        "--pyargs",
        "conformance.trimble",
        "--fleetbox-base-url",
        server.url + TRIMBLE_BASE,
        "--fleetbox-only",
        "TRIMBLE-VEH-0*",
        "--fleetbox-junit-xml",
        str(junit),
        "-p",
        "no:cacheprovider",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 1, run.stdout[-3000:]
    assert "fleetbox rules" in run.stdout and re.search(r"\d+ rules: \d+ passed, [1-9]\d* failed", run.stdout)
    assert "TRIMBLE-VEH-03: a vehicle whose id and name already exist" in junit.read_text()
