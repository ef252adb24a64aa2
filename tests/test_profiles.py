"""A profile is described once, in its spec's `x-fleetbox` block: everything else agrees with it."""

from __future__ import annotations

import re

import pytest

from conformance.contract import contract_of, load_spec, profile_contracts, shipped_contracts
from conformance.profiles import PROFILES, suite_profile
from mockserver.control.spec import control_spec
from mockserver.profiles import VENDOR_PROFILES, sandbox_profile

from .profiles.tinyfleet import SPEC as TINYFLEET_SPEC

SHIPPED = shipped_contracts()


def test_every_shipped_spec_describes_one_profile_served_and_judged():
    assert [c.name for c in SHIPPED] == ["trimble", "invers", "hourfleet"]
    assert [p.contract for p in VENDOR_PROFILES] == list(profile_contracts())
    assert {name: p.contract for name, p in PROFILES.items()} == {c.name: c for c in profile_contracts()}


@pytest.mark.parametrize("contract", SHIPPED, ids=lambda c: c.name)
def test_the_spec_servers_and_the_sandbox_agree_on_the_base_path(contract):
    servers = [server["url"] for server in load_spec(contract.spec)["servers"]]
    assert f"http://127.0.0.1:8080{contract.base_path}" in servers


@pytest.mark.parametrize("contract", SHIPPED, ids=lambda c: c.name)
def test_each_suite_names_its_rules_after_its_profile(contract):
    from conformance.rules import rules_of

    suite_profile(contract)  # imports the package; its rules register as their modules load
    prefix = re.escape(contract.name.upper()) + "-"
    assert all(re.match(prefix, rule.id) for rule in rules_of(contract.name))


def test_sandbox_yaml_lists_exactly_the_shipped_profiles():
    """The hand-written lists (kept for typed generated clients) are what the contracts derive."""
    assert control_spec(SHIPPED) == load_spec("sandbox.yaml")
    schemas = load_spec("sandbox.yaml")["components"]["schemas"]
    for contract in SHIPPED:
        assert contract.credentials_schema in schemas and contract.state_schema in schemas


def test_an_extra_profile_is_listed_by_the_derived_control_spec():
    tiny = contract_of(TINYFLEET_SPEC)
    spec = control_spec((*SHIPPED, tiny))
    schemas = spec["components"]["schemas"]
    assert "tinyfleet" in schemas["Credentials"]["required"]
    assert schemas["Credentials"]["properties"]["tinyfleet"]["type"] == "object"
    assert schemas["FaultRequest"]["properties"]["profile"]["enum"][-1] == "tinyfleet"
    assert spec != load_spec("sandbox.yaml")


def test_a_spec_without_a_profile_block_is_refused(tmp_path):
    bare = tmp_path / "bare.yaml"
    bare.write_text("openapi: 3.0.3\ninfo: {title: bare, version: '1'}\npaths: {}\n")
    with pytest.raises(ValueError, match="no x-fleetbox block"):
        contract_of(bare)
    half = tmp_path / "half.yaml"
    half.write_text("openapi: 3.0.3\ninfo: {title: half, version: '1', x-fleetbox: {profile: half}}\npaths: {}\n")
    with pytest.raises(ValueError, match="basePath, sandbox, suite"):
        contract_of(half)


def test_a_package_serving_another_contract_is_refused(tmp_path):
    trimble = SHIPPED[0]
    wrong = type(trimble)(**{**trimble.__dict__, "sandbox": "mockserver.invers", "suite": "conformance.invers"})
    with pytest.raises(ValueError, match="names it"):
        sandbox_profile(wrong)
    with pytest.raises(ValueError, match="names it"):
        suite_profile(wrong)
