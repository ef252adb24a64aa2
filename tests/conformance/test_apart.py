"""The contract layer run apart (on a second borrowed sandbox, beside the scenario rules) finds what it
finds when the session runs it itself, and reports it the same way."""

from __future__ import annotations

import json

import pytest

from conformance import apart, cli

from ..support import failed_rules
from .planted_trimble import SELFTEST as TRIMBLE

pytestmark = pytest.mark.slow


def _verdicts(report: dict) -> dict[str, tuple]:
    """Each rule's verdict, and for Schemathesis' rules its finding (a scenario rule's message may name a time)."""
    return {r["id"]: (r["verdict"], r["expected"] if r["layer"] != "scenario" else None) for r in report["rules"]}


def test_the_contract_layer_apart_names_what_it_names_in_the_session(server, monkeypatch, tmp_path):
    for off in TRIMBLE.off_contracts:
        off.plant(monkeypatch)
    contract = [off.rule for off in TRIMBLE.off_contracts]
    # A scenario rule beside them, so that the run has something to do while Schemathesis runs apart.
    selection = ("--parallel-contract", "--only", *contract, "TRIMBLE-AUTH-01", "--seed", "1")
    children: list[list[str]] = []
    real_command = apart.Background._command

    def command(self, *args):
        children.append(real_command(self, *args))
        return children[-1]

    monkeypatch.setattr(apart.Background, "_command", command)
    runs = {}
    for how in ("apart", "in the session"):
        if how == "in the session":
            # No second sandbox to be had: the session runs Schemathesis itself, as against any other server.
            monkeypatch.setattr(apart, "borrow_sandbox", lambda *args: None)
        report = tmp_path / f"{how}.json"
        run = TRIMBLE.check_here(server, *selection, "--json", str(report))
        assert run.returncode == 1, run.stdout[-3000:]
        assert failed_rules(run) == set(contract), run.stdout[-5000:]
        runs[how] = (run, json.loads(report.read_text()))
    assert len(children) == 1, "the first run's contract layer ran in a child session, the second's did not"
    # The child was given the seed, and the sandbox's key is not on its command line.
    assert children[0][children[0].index("--fleetbox-seed") + 1] == "1"
    assert "--fleetbox-control-token" not in children[0]
    (apart_run, apart_report), (session_run, session_report) = runs["apart"], runs["in the session"]
    assert _verdicts(apart_report) == _verdicts(session_report)
    assert apart_report["seed"] == session_report["seed"] == 1
    for off in TRIMBLE.off_contracts:
        assert off.evidence in apart_run.stdout.split(f"\n{off.rule}: ")[1]
    # The same rule lines, in the same order, and the same counts.
    assert _rule_lines(apart_run.stdout) == _rule_lines(session_run.stdout)


def _rule_lines(output: str) -> list[str]:
    """One line per rule as a run goes, and the counts (without the run's time); Schemathesis' own ids for
    its test cases differ from run to run."""
    lines = [line for line in output.splitlines() if line.startswith(("  ok ", "  FAIL ", "  skip ", "  dev "))]
    return lines + [line.split(" in ")[0] for line in output.splitlines() if " rules: " in line]


@pytest.mark.parametrize(
    ("cores", "options", "apart_expected"),
    [
        (2, (), True),  # the default where a second core can run it
        (1, (), False),
        (2, ("--no-parallel-contract",), False),
        (1, ("--parallel-contract",), True),
    ],
)
def test_the_contract_layer_runs_apart_by_default_where_there_is_a_second_core(
    server, monkeypatch, cores, options, apart_expected
):
    given: list[list] = []

    def session(arguments, plugins):
        given.append(plugins)
        return pytest.ExitCode.OK

    monkeypatch.setattr("os.cpu_count", lambda: cores)
    monkeypatch.setattr(cli.pytest, "main", session)
    run = TRIMBLE.check_here(server, *options)
    assert run.returncode == 0, run.stdout + run.stderr
    assert [any(isinstance(plugin, apart.Apart) for plugin in plugins) for plugins in given] == [apart_expected]
