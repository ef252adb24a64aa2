"""Start-up checks: every operation has a handler, the spec's key aliases are the code's, views are built once."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest
from connexion.apps.flask import FlaskOperation
from connexion.exceptions import ResolverError

from conformance.contract import load_spec
from mockserver.app import create_app
from mockserver.trimble import PROFILE as TRIMBLE
from mockserver.trimble.handlers import accounts, vehicles
from mockserver.trimble.records import DRIVERS, GROUP_NAME_KEYS, VEHICLES


def test_a_missing_handler_stops_start_up():
    crippled = replace(TRIMBLE, handlers=(accounts, vehicles))
    with pytest.raises(ResolverError, match="No handler .list_drivers. for operationId .listDrivers."):
        create_app(profiles=(crippled,))


@pytest.mark.parametrize(
    "schema,keys",
    [
        ("VehicleWrite", VEHICLES.id_keys + VEHICLES.name_keys),
        ("DriverWrite", DRIVERS.id_keys + DRIVERS.name_keys),
        ("VehicleGroupWrite", GROUP_NAME_KEYS),
        ("VehicleReference", VEHICLES.id_keys),
    ],
)
def test_the_accepted_key_casings_are_the_same_in_spec_and_code(schema, keys):
    properties = load_spec("trimble.yaml")["components"]["schemas"][schema]["properties"]
    assert set(properties) == set(keys)


def test_a_served_app_builds_each_views_decorators_once(server):
    """Connexion's own views rebuild their decorator chain on every request (see http/views.py)."""
    assert httpx.get(f"{server.url}/__sandbox/health").status_code == 200
    views = server.app.app.view_functions
    operation_views = [name for name in views if name != "static"]
    assert len(operation_views) > 50
    assert not [name for name in operation_views if isinstance(views[name], FlaskOperation)]
