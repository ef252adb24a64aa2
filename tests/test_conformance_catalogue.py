"""The rule catalogue: ids unique and well formed, every area known, and every rule documented."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import conformance.invers
import conformance.trimble
from conformance.profiles import PROFILES
from conformance.rules import rules_of

README = (Path(__file__).parent.parent / "conformance" / "README.md").read_text()
RULE_ID = re.compile(r"^[A-Z]+-[A-Z]+-[0-9A-Za-z]+$")


def loaded_rules(package) -> list:
    """Every rule of a profile's package (its rule modules imported, as pytest would)."""
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("test_"):
            importlib.import_module(f"{package.__name__}.{module.name}")
    return rules_of(package.__name__.rsplit(".", 1)[-1])


@pytest.fixture(scope="module")
def trimble_rules():
    return loaded_rules(conformance.trimble)


def test_rules_are_well_formed_and_in_known_areas(trimble_rules):
    assert len(trimble_rules) >= 60
    for rule in trimble_rules:
        assert RULE_ID.match(rule.id), rule.id
        assert rule.area in PROFILES["trimble"].areas, rule
        assert rule.sentence and not rule.sentence.endswith("."), rule


def test_every_rule_is_in_the_readme_catalogue(trimble_rules):
    missing = [rule.id for rule in trimble_rules if f"`{rule.id}`" not in README]
    assert not missing


def test_the_issue_examples_have_rules(trimble_rules):
    sentences = {rule.id: rule.sentence for rule in trimble_rules}
    assert "51 vehicles is refused with 400" in sentences["TRIMBLE-VEH-07"]


@pytest.fixture(scope="module")
def invers_rules():
    return loaded_rules(conformance.invers)


def test_invers_rules_are_well_formed_documented_and_in_known_areas(invers_rules):
    assert len(invers_rules) >= 60
    for rule in invers_rules:
        assert RULE_ID.match(rule.id), rule.id
        assert rule.area in PROFILES["invers"].areas, rule
        assert rule.sentence and not rule.sentence.endswith("."), rule
    assert not [rule.id for rule in invers_rules if f"`{rule.id}`" not in README]


def test_the_invers_issue_examples_have_rules(invers_rules):
    sentences = {rule.id: rule.sentence for rule in invers_rules}
    assert "shared-with-partner" in sentences["INVERS-SHARED-04"]
    assert "PATCH of master data is refused" in sentences["INVERS-SHARED-06"]
    assert "X-INVERS-Flow-ID" in sentences["INVERS-HDR-01"]
    assert "ends_at passes" in sentences["INVERS-END-04"]
