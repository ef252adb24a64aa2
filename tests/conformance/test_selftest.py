"""The conformance suite judges, for every profile: it passes against the sandbox, and against a sandbox
answering off its contract it fails, naming the broken rule. `fleetbox check` runs as a real subprocess
against a sandbox served in this process, so each bug is a monkeypatch of the running server. What only
one profile has is in `test_selftest_<profile>.py`; the bugs are in `planted_<profile>.py`, and
`test_planted.py` runs each of them (in this process, for speed)."""

from __future__ import annotations

import re

import pytest

from ..support import failed_rules
from .planted_hourfleet import SELFTEST as HOURFLEET
from .planted_invers import SELFTEST as INVERS
from .planted_trimble import SELFTEST as TRIMBLE
from .selftest import SelfTest

pytestmark = pytest.mark.slow

SELFTESTS = (TRIMBLE, INVERS, HOURFLEET)


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


@pytest.mark.parametrize("selftest", SELFTESTS, ids=[s.profile for s in SELFTESTS])
def test_a_response_off_the_contract_is_named_by_schemathesis(server, monkeypatch, selftest: SelfTest):
    off = selftest.off_contract
    off.plant(monkeypatch)
    run = selftest.check(server, "--only", off.rule, "--seed", "1")
    assert run.returncode == 1
    assert failed_rules(run) == {off.rule}
    assert off.evidence in run.stdout
