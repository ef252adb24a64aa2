"""Layers 1 and 2: Schemathesis against every operation of the profile's spec, and along its links."""

from __future__ import annotations

import pytest

from conformance import schemathesis_layer

from . import PROFILE, SCHEMATHESIS_CONFIG

RULES = schemathesis_layer.contract_rules(PROFILE.name, PROFILE.spec)


@pytest.fixture(scope="session")
def schemathesis_run(request: pytest.FixtureRequest, target, contract_headers) -> schemathesis_layer.SchemathesisRun:
    """One Schemathesis run for every contract rule of the session, as the caller of `contract_headers`."""
    return schemathesis_layer.run_for_session(
        request, PROFILE.name, PROFILE.spec, target.base_url, contract_headers, SCHEMATHESIS_CONFIG
    )


@pytest.mark.parametrize("contract_rule", RULES, ids=[rule.id for rule, _ in RULES])
def test_the_contract_holds(contract_rule, schemathesis_run, request):
    schemathesis_layer.check_verdict(contract_rule, schemathesis_run, request)
