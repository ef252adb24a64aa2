"""The spec and the code name the same things: the key casings the batch bodies accept."""

from __future__ import annotations

import pytest

from conformance.contract import load_spec
from mockserver.trimble.records import DRIVERS, GROUP_NAME_KEYS, VEHICLES


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
