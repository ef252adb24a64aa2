"""The rule catalogue of every profile: ids well formed, every area known, every rule documented in
conformance/README.md (whose tables are generated from the rules, and say what each rule writes), and
the issues' examples covered."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

from conformance import catalogue
from conformance.profiles import PROFILES
from conformance.rules import CONTRACT, STATEFUL, rules_of
from conformance.schemathesis_layer import operations

README = (Path(__file__).parents[2] / "conformance" / "README.md").read_text()
RULE_ID = re.compile(r"^[A-Z]+-[A-Z]+-[0-9A-Za-z]+$")
# The fewest rules each profile has had (a catalogue that shrinks has lost rules).
MINIMUM_RULES = {"trimble": 60, "invers": 60, "hourfleet": 90}
# Behaviours the issues asked rules for: {rule id: words of its sentence}.
ISSUE_EXAMPLES = {
    "trimble": {"TRIMBLE-VEH-07": "51 vehicles is refused with 400"},
    "invers": {
        "INVERS-SHARED-04": "shared-with-partner",
        "INVERS-SHARED-06": "PATCH of master data is refused",
        "INVERS-HDR-01": "X-INVERS-Flow-ID",
        "INVERS-END-04": "ends_at passes",
    },
}


def loaded_rules(profile: str) -> list:
    """Every rule of a profile's package (its rule modules imported, as pytest would)."""
    package = importlib.import_module(f"conformance.{profile}")
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("test_"):
            importlib.import_module(f"{package.__name__}.{module.name}")
    return rules_of(profile)


def test_every_profile_is_catalogued():
    assert set(MINIMUM_RULES) <= set(PROFILES)


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_rules_are_well_formed_and_in_known_areas(profile):
    rules = loaded_rules(profile)
    assert len(rules) >= MINIMUM_RULES.get(profile, 1)
    for rule in rules:
        assert RULE_ID.match(rule.id), rule.id
        assert rule.area in PROFILES[profile].areas, rule
        assert rule.sentence and not rule.sentence.endswith("."), rule


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_every_rule_is_in_the_readme_catalogue(profile):
    assert [rule.id for rule in loaded_rules(profile) if f"`{rule.id}`" not in README] == []


@pytest.mark.parametrize("profile", sorted(ISSUE_EXAMPLES))
def test_the_issue_examples_have_rules(profile):
    sentences = {rule.id: rule.sentence for rule in loaded_rules(profile)}
    for rule_id, words in ISSUE_EXAMPLES[profile].items():
        assert words in sentences[rule_id], rule_id


def test_the_readme_shows_each_rules_planted_bug():
    from .catalogue import current, generated

    assert current(README) == generated(), "the planted bugs changed: run `python -m tests.conformance.catalogue`"


def test_the_readme_catalogue_is_generated_from_the_rules():
    """`python -m conformance.catalogue` has been run since a rule changed."""
    for profile in ("trimble", "invers", "hourfleet"):
        assert catalogue.begin_marker(profile) in README and catalogue.end_marker(profile) in README
    assert catalogue.updated(README) == README, "run: python -m conformance.catalogue"


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_the_catalogue_says_what_each_rule_writes(profile):
    rules = {rule.id: rule for rule in loaded_rules(profile)}
    table = catalogue.tables(profile)
    for rule in rules.values():
        assert (
            f"| `{rule.id}` | {rule.sentence.replace('|', chr(92) + '|')} | {rule.writes or catalogue.READ_ONLY} |"
            in table
        )
    # The contract rules of operations that may change something write; reads and token requests do not.
    harmless = PROFILES[profile].harmless
    for operation in operations(PROFILES[profile].spec):
        written = rules[f"{profile.upper()}-CONTRACT-{operation.operation_id}"].writes
        assert (written is None) == (operation.method == "get" or operation.operation_id in harmless), operation
    assert all(rule.writes for rule in rules.values() if rule.layer == STATEFUL)
    assert any(rule.writes for rule in rules.values() if rule.layer not in (CONTRACT, STATEFUL))
