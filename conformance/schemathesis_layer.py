"""Layers 1 and 2: Schemathesis generates requests for every operation of the spec (contract) and
follows the spec's links (stateful); this module runs it once per session and tells each operation's rule
what it found.

The run drives the `st` command line and reads its JUnit reports, one test case per operation plus one
for the stateful phase (`schemathesis_processes.py`): the command line and that report are Schemathesis'
documented interfaces.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .contract import load_spec
from .plugin import rule_of
from .rules import CONTRACT, STATEFUL, Rule, register
from .schemathesis_processes import (
    CONTRACT_PHASES,
    STATEFUL_PHASES,
    SchemathesisRun,
    common_arguments,
    parts_of,
    processes_at_once,
    run_parts,
)

if TYPE_CHECKING:
    import pytest

    from .target import ConformanceProfile

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
STATEFUL_CASE = "Stateful tests"


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str

    @property
    def label(self) -> str:
        """How Schemathesis names the operation."""
        return f"{self.method.upper()} {self.path}"


def operations(spec_file: str) -> list[Operation]:
    spec = load_spec(spec_file)
    return [
        Operation(details["operationId"], method, path)
        for path, item in spec["paths"].items()
        for method, details in item.items()
        if method in HTTP_METHODS
    ]


SAFE = ("get", "head", "options")


def contract_rules(
    profile: str, spec_file: str, area: str = "Contract", harmless: tuple[str, ...] = ()
) -> list[tuple[Rule, Operation | None]]:
    """One rule per operation, and one for the link-following (stateful) phase. A contract rule of an
    operation that may change the target writes what its generated requests create or change, and
    Schemathesis removes none of it: `--read-only` leaves those rules out."""
    prefix = profile.upper()
    made: list[tuple[Rule, Operation | None]] = [
        (
            register(
                Rule(
                    f"{prefix}-CONTRACT-{operation.operation_id}",
                    f"{operation.label} keeps its contract: documented statuses, media types and schemas, "
                    f"4xx for invalid input, never 5xx",
                    area,
                    profile,
                    CONTRACT,
                    writes=None
                    if operation.method in SAFE or operation.operation_id in harmless
                    else f"what generated {operation.label} requests create or change (not removed)",
                )
            ),
            operation,
        )
        for operation in operations(spec_file)
    ]
    made.append(
        (
            register(
                Rule(
                    f"{prefix}-STATEFUL-01",
                    "sequences that follow the spec's links (create, then read, update and delete what was created) "
                    "get documented answers",
                    area,
                    profile,
                    STATEFUL,
                    writes="what generated sequences create or change (not all removed)",
                )
            ),
            None,
        )
    )
    return made


def run(
    spec_file: str,
    base_url: str,
    headers: dict[str, str],
    config_file: Path | None,
    operation_ids: list[str],
    phases: list[str],
    max_examples: int,
    workers: int,
    seed: int,
    processes: int | None = None,
) -> SchemathesisRun:
    """Run Schemathesis's `phases` over the chosen operations (all when `operation_ids` is empty), in
    `processes` at once (by default as many as the machine's cores make worth it), and collect its verdict
    per operation."""
    parts = parts_of(phases, operation_ids, processes or processes_at_once())
    common = common_arguments(spec_file, base_url, headers, config_file, max_examples, workers, seed)
    return run_parts(parts, common)


def summary_of(verdict: str) -> str:
    """The failed checks of a Schemathesis verdict, one line (e.g. "ST202 Schema-valid request rejected")."""
    titles = [line[2:].strip() for line in verdict.splitlines() if line.startswith("- ")]
    unique = list(dict.fromkeys(titles))
    return (
        "no failure of Schemathesis' checks; found " + "; ".join(unique)
        if unique
        else verdict.strip().splitlines()[0][:200]
    )


@dataclass(frozen=True)
class Plan:
    """What the session's one Schemathesis run does: its phases, its operations (all when empty), its seed,
    and the rules that read its verdicts."""

    phases: list[str]
    operation_ids: list[str]
    operation_count: int
    seed: int
    rule_ids: list[str]


def runnable_rules(session: pytest.Session) -> list[Rule]:
    """The session's chosen rules, but those skipped from the start (`--read-only` skips the rules that write)."""
    runnable = [item for item in session.items if item.get_closest_marker("skip") is None]
    return [rule for rule in map(rule_of, runnable) if rule is not None]


def plan_for_session(request: pytest.FixtureRequest, profile: str, spec_file: str) -> Plan | None:
    """The phases and operations the session's chosen rules need (None when they need no Schemathesis run);
    fixes the run's seed (the one given, else a random one, told in the summary)."""
    chosen = runnable_rules(request.session)
    contract = [rule for rule in chosen if rule.layer == CONTRACT]
    stateful = any(rule.layer == STATEFUL for rule in chosen)
    if not contract and not stateful:
        return None
    phases = (CONTRACT_PHASES if contract else []) + (STATEFUL_PHASES if stateful else [])
    every = {f"{profile.upper()}-CONTRACT-{op.operation_id}" for op in operations(spec_file)}
    operation_ids = [] if stateful or {r.id for r in contract} == every else [r.id.split("-", 2)[2] for r in contract]
    if getattr(request.config, "fleetbox_seed", None) is None:
        seed = request.config.getoption("fleetbox_seed")
        request.config.fleetbox_seed = seed if seed is not None else random.randrange(2**31)
    rule_ids = [rule.id for rule in chosen if rule.layer in (CONTRACT, STATEFUL)]
    return Plan(phases, operation_ids, len(operation_ids) or len(every), request.config.fleetbox_seed, rule_ids)


def run_for_session(
    request: pytest.FixtureRequest,
    profile: str,
    spec_file: str,
    base_url: str,
    config_file: Path,
) -> SchemathesisRun:
    """The one Schemathesis run of a pytest session: the phases and operations its chosen rules need, run
    apart while the scenario rules ran (`apart.py`), or here and now."""
    plan = plan_for_session(request, profile, spec_file)
    reporter = request.config.pluginmanager.get_plugin("fleetbox-rule-reporter")
    reporter.say(
        f"\nSchemathesis is exercising {plan.operation_count} operations ({', '.join(plan.phases)} phases) ..."
    )
    background = getattr(request.config, "fleetbox_background", None)
    found = background.result() if background is not None else None
    if found is None:
        found = run(
            spec_file,
            base_url,
            request.getfixturevalue("contract_headers"),
            config_file,
            plan.operation_ids,
            plan.phases,
            request.config.getoption("fleetbox_max_examples"),
            request.config.getoption("fleetbox_workers"),
            plan.seed,
            request.config.getoption("fleetbox_processes"),
        )
    if out := request.config.getoption("fleetbox_schemathesis_out"):
        # The child session of a run apart hands its findings to its parent.
        Path(out).write_text(json.dumps({"results": found.results, "output": found.output}))
    return found


def check_verdict(
    contract_rule: tuple[Rule, Operation | None], schemathesis_run: SchemathesisRun, request: pytest.FixtureRequest
) -> None:
    """Fail the rule's test with Schemathesis' findings for its operation, if it found any."""
    _, operation = contract_rule
    verdict = schemathesis_run.verdict(operation.label if operation else STATEFUL_CASE)
    if verdict:
        request.node.fleetbox_details = verdict
        raise AssertionError(summary_of(verdict))


def contract_layer(profile: ConformanceProfile, config_file: Path) -> tuple[Callable, Callable]:
    """A suite's contract layer: the session's one Schemathesis run (a fixture, acting with the suite's
    `contract_headers`) and the test that reads each contract rule's verdict from it.

    A suite's `test_contract.py` binds both to module names, where pytest finds them.
    """
    import pytest

    rules = contract_rules(profile.name, profile.spec, harmless=profile.harmless)

    @pytest.fixture(scope="session")
    def schemathesis_run(request: pytest.FixtureRequest, target) -> SchemathesisRun:
        return run_for_session(request, profile.name, profile.spec, target.base_url, config_file)

    @pytest.mark.parametrize("contract_rule", rules, ids=[rule.id for rule, _ in rules])
    def test_the_contract_holds(contract_rule, schemathesis_run, request):
        check_verdict(contract_rule, schemathesis_run, request)

    return schemathesis_run, test_the_contract_holds
