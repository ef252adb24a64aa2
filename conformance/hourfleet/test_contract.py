"""Layers 1 and 2: Schemathesis against every operation of openapi/hourfleet.yaml, and along its links."""

from __future__ import annotations

import random

import pytest

from .. import schemathesis_layer
from ..plugin import rule_of
from ..rules import CONTRACT, STATEFUL
from . import PROFILE, SCHEMATHESIS_CONFIG
from .conftest import users_of

RULES = schemathesis_layer.contract_rules(PROFILE.name, PROFILE.spec)


@pytest.fixture(scope="session")
def schemathesis_run(request: pytest.FixtureRequest, credentials, tokens, hourfleet_target) -> schemathesis_layer.SchemathesisRun:
    """One Schemathesis run for every contract rule of the session."""
    chosen = [rule for rule in map(rule_of, request.session.items) if rule is not None]
    contract = [rule for rule in chosen if rule.layer == CONTRACT]
    stateful = any(rule.layer == STATEFUL for rule in chosen)
    phases = (schemathesis_layer.CONTRACT_PHASES if contract else []) + (schemathesis_layer.STATEFUL_PHASES if stateful else [])
    every = {f"{PROFILE.name.upper()}-CONTRACT-{op.operation_id}" for op in schemathesis_layer.operations(PROFILE.spec)}
    operation_ids = [] if stateful or {r.id for r in contract} == every else [r.id.split("-", 2)[2] for r in contract]
    # An operator where there is one: a user who may also manage the car share reaches most successes.
    caller = (users_of(credentials, "ops") or users_of(credentials, "user") or [None])[0]
    seed = request.config.getoption("fleetbox_seed")
    request.config.fleetbox_seed = seed if seed is not None else random.randrange(2**31)
    reporter = request.config.pluginmanager.get_plugin("fleetbox-rule-reporter")
    reporter.say(f"\nSchemathesis is exercising {len(operation_ids) or len(every)} operations ({', '.join(phases)} phases) ...")
    return schemathesis_layer.run(
        PROFILE.spec,
        hourfleet_target.base_url,
        {"Authorization": f"Bearer {tokens(caller)}"},
        SCHEMATHESIS_CONFIG,
        operation_ids,
        phases,
        request.config.getoption("fleetbox_max_examples"),
        request.config.getoption("fleetbox_workers"),
        request.config.fleetbox_seed,
    )


@pytest.mark.parametrize("contract_rule", RULES, ids=[rule.id for rule, _ in RULES])
def test_the_contract_holds(contract_rule, schemathesis_run, request):
    rule, operation = contract_rule
    verdict = schemathesis_run.verdict(operation.label if operation else schemathesis_layer.STATEFUL_CASE)
    if verdict:
        request.node.fleetbox_details = verdict
        raise AssertionError(schemathesis_layer.summary_of(verdict))
