"""Operation ids to handlers (http/resolver.py): snake_case lookup in order, and no start-up without every handler."""

from __future__ import annotations

from dataclasses import replace
from types import ModuleType, SimpleNamespace

import pytest
from connexion.exceptions import ResolverError

from mockserver.app import create_app
from mockserver.http.resolver import HandlerResolver, find_handler
from mockserver.trimble import PROFILE as TRIMBLE
from mockserver.trimble.handlers import accounts, vehicles


def module(name: str, **functions) -> ModuleType:
    made = ModuleType(name)
    for attribute, value in functions.items():
        setattr(made, attribute, value)
    return made


def test_a_missing_handler_stops_start_up():
    crippled = replace(TRIMBLE, handlers=(accounts, vehicles))
    with pytest.raises(ResolverError, match="No handler .list_drivers. for operationId .listDrivers."):
        create_app(profiles=(crippled,))


def test_an_operation_id_finds_its_snake_case_handler_in_the_first_module_holding_it():
    def first():
        return "first"

    def second():
        return "second"

    modules = (module("a"), module("b", create_vehicle_groups=first), module("c", create_vehicle_groups=second))
    assert find_handler("createVehicleGroups", modules) is first


def test_a_name_that_is_not_callable_is_no_handler():
    modules = (module("constants", list_drivers="not a function"),)
    with pytest.raises(ResolverError, match="No handler 'list_drivers' for operationId 'listDrivers' in constants"):
        find_handler("listDrivers", modules)


def test_the_error_names_every_module_searched():
    with pytest.raises(ResolverError, match=r"in first\.handlers, second\.handlers$"):
        find_handler("getThing", (module("first.handlers"), module("second.handlers")))


def test_an_operation_without_an_id_is_refused():
    resolver = HandlerResolver((module("handlers"),))
    operation = SimpleNamespace(operation_id=None, method="get", path="/vehicles")
    with pytest.raises(ResolverError, match="Operation GET /vehicles has no operationId"):
        resolver.resolve_operation_id(operation)
    assert resolver.resolve_operation_id(SimpleNamespace(operation_id="listVehicles")) == "listVehicles"
