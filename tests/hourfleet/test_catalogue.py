"""The hourfleet rule catalogue: ids well formed, areas known, every rule documented, the issue's
examples covered; and the spec's roles and search vocabulary are the code's."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import conformance.hourfleet
from conformance.contract import load_spec
from conformance.profiles import PROFILES
from conformance.rules import rules_of
from mockserver.hourfleet import views
from mockserver.http.formats import negotiated_operations
from mockserver.http.roles import roles_by_operation

ROLES = roles_by_operation(load_spec("hourfleet.yaml"))

README = (Path(__file__).parent.parent.parent / "conformance" / "README.md").read_text()
RULE_ID = re.compile(r"^[A-Z]+-[A-Z]+-[0-9A-Za-z]+$")


@pytest.fixture(scope="module")
def hourfleet_rules():
    for module in pkgutil.iter_modules(conformance.hourfleet.__path__):
        if module.name.startswith("test_"):
            importlib.import_module(f"conformance.hourfleet.{module.name}")
    return rules_of("hourfleet")


def test_rules_are_well_formed_and_in_known_areas(hourfleet_rules):
    assert len(hourfleet_rules) >= 90
    for rule in hourfleet_rules:
        assert RULE_ID.match(rule.id), rule.id
        assert rule.area in PROFILES["hourfleet"].areas, rule
        assert rule.sentence and not rule.sentence.endswith("."), rule


def test_every_rule_is_in_the_readme_catalogue(hourfleet_rules):
    assert [rule.id for rule in hourfleet_rules if f"`{rule.id}`" not in README] == []


def test_every_operation_states_its_roles():
    spec = load_spec("hourfleet.yaml")
    secured = [op["operationId"] for item in spec["paths"].values() for op in item.values()
               if isinstance(op, dict) and op.get("security", spec["security"])]
    assert sorted(ROLES) == sorted(secured)
    # The operations that check roles are the ones answering in every format (the OAuth endpoints neither).
    assert sorted(negotiated_operations(spec)) == sorted(secured)


@pytest.mark.parametrize("rules,resource", [(views.CAR_SEARCH, "Cars"), (views.BOOKING_SEARCH, "CarBookings"),
                                            (views.USER_SEARCH, "UserAccounts"), (views.SUBSCRIPTION_SEARCH, "WebhookSubscriptions")])
def test_the_search_vocabulary_is_the_specs(rules, resource):
    parameters = load_spec("hourfleet.yaml")["components"]["parameters"]
    sortable = re.search(r"\((.*)\)", parameters[f"Sort{resource}"]["schema"]["pattern"]).group(1).split("|")
    properties = re.search(r"\((.*)\)", parameters[f"Distinct{resource}"]["schema"]["pattern"]).group(1).split("|")
    assert (sortable, properties) == (list(rules.sortable), list(rules.properties))
