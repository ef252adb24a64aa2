"""The conformance suite judges, for every profile: it passes against the sandbox, and against sandboxes
with planted bugs it fails, naming the broken rule. `fleetbox check` runs as a real subprocess against a
sandbox served in this process, so each planted bug is a monkeypatch of the running server. What only
one profile has is in `test_selftest_<profile>.py`; the bugs are in `planted_<profile>.py`."""

from __future__ import annotations

import re

import pytest

from ..support import failed_rules
from .planted_hourfleet import SELFTEST as HOURFLEET
from .planted_invers import SELFTEST as INVERS
from .planted_trimble import SELFTEST as TRIMBLE
from .selftest import PlantedBug, SelfTest

pytestmark = pytest.mark.slow

SELFTESTS = (TRIMBLE, INVERS, HOURFLEET)
BUGS = [(selftest, bug) for selftest in SELFTESTS for bug in selftest.planted]


@pytest.mark.parametrize("selftest", SELFTESTS, ids=[s.profile for s in SELFTESTS])
def test_the_suite_passes_against_the_sandbox(server, tmp_path, selftest: SelfTest):
    junit, html = tmp_path / "check.xml", tmp_path / "check.html"
    run = selftest.check(server, "--seed", "1", "--junit-xml", str(junit), "--html", str(html))
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]
    assert re.search(r"\d+ rules: \d+ passed, 0 failed", run.stdout) and "not checked" not in run.stdout
    assert failed_rules(run) == set()
    for rule_id in selftest.listed:
        assert rule_id in run.stdout
    assert junit.read_text().count("<testcase") == run.stdout.count("\n  ok ")
    assert selftest.in_html in html.read_text()


@pytest.mark.parametrize("selftest,bug", BUGS, ids=[bug.rule for _, bug in BUGS])
def test_a_planted_bug_is_named_by_its_rule(server, monkeypatch, selftest: SelfTest, bug: PlantedBug):
    bug.plant(monkeypatch)
    run = selftest.check(server, "--only", *bug.only)
    assert run.returncode == 1, f"{bug.description} went unnoticed:\n{run.stdout[-3000:]}{run.stderr[-2000:]}"
    assert bug.rule in failed_rules(run), f"{bug.description}: failed rules were {sorted(failed_rules(run))}"
    assert f"{bug.rule}: " in run.stdout.split("failures")[-1], "the failure is explained in the summary"


@pytest.mark.parametrize("selftest", SELFTESTS, ids=[s.profile for s in SELFTESTS])
def test_a_response_off_the_contract_is_named_by_schemathesis(server, monkeypatch, selftest: SelfTest):
    off = selftest.off_contract
    off.plant(monkeypatch)
    run = selftest.check(server, "--only", off.rule, "--max-examples", "5", "--seed", "1")
    assert run.returncode == 1
    assert failed_rules(run) == {off.rule}
    assert off.evidence in run.stdout
