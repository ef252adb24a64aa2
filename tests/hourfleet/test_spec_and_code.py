"""The hourfleet spec and the code agree: the spec's roles and search vocabulary are the code's. (The
rule catalogue is tested with every profile's, in tests/conformance/test_catalogue.py.)"""

from __future__ import annotations

import re

import pytest

from conformance.contract import load_spec
from mockserver.hourfleet import views
from mockserver.hourfleet.handlers import CACHE_CONTROLS
from mockserver.http.formats import negotiated_operations
from mockserver.http.roles import roles_by_operation

ROLES = roles_by_operation(load_spec("hourfleet.yaml"))


def test_every_operation_states_its_roles():
    spec = load_spec("hourfleet.yaml")
    secured = [
        op["operationId"]
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and op.get("security", spec["security"])
    ]
    assert sorted(ROLES) == sorted(secured)
    # The operations that check roles are the ones answering in every format (the OAuth endpoints neither).
    assert sorted(negotiated_operations(spec)) == sorted(secured)


@pytest.mark.parametrize(
    "rules,resource",
    [
        (views.CAR_SEARCH, "Cars"),
        (views.BOOKING_SEARCH, "CarBookings"),
        (views.USER_SEARCH, "UserAccounts"),
        (views.SUBSCRIPTION_SEARCH, "WebhookSubscriptions"),
    ],
)
def test_the_search_vocabulary_is_the_specs(rules, resource):
    parameters = load_spec("hourfleet.yaml")["components"]["parameters"]
    sortable = re.search(r"\((.*)\)", parameters[f"Sort{resource}"]["schema"]["pattern"]).group(1).split("|")
    properties = re.search(r"\((.*)\)", parameters[f"Distinct{resource}"]["schema"]["pattern"]).group(1).split("|")
    assert (sortable, properties) == (list(rules.sortable), list(rules.properties))


def test_every_get_behind_the_token_declares_the_cache_control_it_answers():
    spec = load_spec("hourfleet.yaml")
    gets = [
        item["get"]["operationId"]
        for item in spec["paths"].values()
        if "get" in item and item["get"].get("security", spec["security"])
    ]
    assert sorted(CACHE_CONTROLS) == sorted(gets)
    assert set(CACHE_CONTROLS.values()) == {"max-age=60", "max-age=60, private", "max-age=600", "max-age=600, private"}
