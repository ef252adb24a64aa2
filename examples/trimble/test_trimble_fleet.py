"""Tests of the Trimble example against a fleetbox sandbox of their own (the `fleetbox_sandbox` fixture)."""

import pytest
from trimble_fleet import TrimbleFleet


@pytest.fixture
def fleet(fleetbox_sandbox):
    return TrimbleFleet(fleetbox_sandbox.trimble.base_url, fleetbox_sandbox.trimble.direct.api_key)


@pytest.mark.fleetbox(seed=7, size=5)
def test_lists_the_fleets_vehicles(fleet, fleetbox_sandbox):
    assert len(fleet.vehicle_names()) == 5
    fleetbox_sandbox.journal.assert_requested("POST", "/accounts/authenticate", times=1)
    fleetbox_sandbox.journal.assert_requested("GET", "/vehicles", times=1)


def test_an_added_vehicle_is_in_the_next_list(fleet):
    fleet.add_vehicle("EX-1", "Example van")
    assert "Example van" in fleet.vehicle_names()


def test_an_expired_token_is_renewed(fleet, fleetbox_sandbox):
    fleet.vehicle_names()
    fleetbox_sandbox.clock.advance(minutes=61)  # Trimble tokens live 60 minutes
    fleet.vehicle_names()
    fleetbox_sandbox.journal.assert_requested("POST", "/accounts/authenticate", times=2)


def test_a_503_is_retried_once(fleet, fleetbox_sandbox):
    fleetbox_sandbox.faults.add(503, profile="trimble", method="GET", path="/vehicles", times=1)
    assert fleet.vehicle_names()
    assert [e.status for e in fleetbox_sandbox.journal.requests("GET", "/vehicles")] == [503, 200]
