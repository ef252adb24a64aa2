"""The INVERS-AMQP rules judge event delivery over a real broker: they pass against a sandbox that
publishes to one, each planted bug is named by its rule, and without consumer credentials they are
reported "not checked"."""

from __future__ import annotations

import json
import re

import pytest

from ..conformance.planted_invers_events import PLANTED, RULES
from ..conformance.selftest import PlantedBug
from ..support import INVERS_BASE, failed_rules, run_check

pytestmark = pytest.mark.slow
AMQP_RULES = 6


def check(server, *options: str):
    return run_check(server.url + INVERS_BASE, *options, profile="invers")


def test_the_rules_pass_against_a_sandbox_with_a_broker(server_with_amqp):
    run = check(server_with_amqp, "--only", *RULES)
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]
    assert re.search(rf"{AMQP_RULES} rules: {AMQP_RULES} passed, 0 failed", run.stdout), run.stdout[-2000:]


@pytest.mark.parametrize("bug", PLANTED, ids=[f"{bug.rule}:{bug.description}" for bug in PLANTED])
def test_a_planted_bug_is_named_by_its_rule(server_with_amqp, monkeypatch, bug: PlantedBug):
    bug.plant(monkeypatch)
    run = check(server_with_amqp, "--only", *bug.only)
    assert run.returncode == 1, f"{bug.description} went unnoticed:\n{run.stdout[-3000:]}{run.stderr[-2000:]}"
    assert bug.rule in failed_rules(run), f"{bug.description}: failed rules were {sorted(failed_rules(run))}"


def test_without_consumers_the_rules_are_not_checked(server, sandbox, tmp_path):
    """A server without --amqp lends credentials without consumers; so does a file that lists none."""
    run = check(server, "--only", *RULES)
    assert (
        run.returncode == 0 and f"0 passed, 0 failed, 0 accepted as deviations, {AMQP_RULES} not checked" in run.stdout
    )
    credentials = tmp_path / "credentials.json"
    credentials.write_text(json.dumps(sandbox.data["credentials"]["invers"]))
    run = check(server, "--credentials", str(credentials), "--only", *RULES)
    assert run.returncode == 0 and f"{AMQP_RULES} not checked" in run.stdout, run.stdout[-2000:]
