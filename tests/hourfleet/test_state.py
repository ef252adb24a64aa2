"""The hourfleet world in the state names its car share. (Round trips and refused worlds, in every profile:
tests/every_profile/test_state.py.)"""

from __future__ import annotations


def test_the_exported_world_names_its_car_share_tenant(sandbox):
    world = sandbox.control.get(f"/sandboxes/{sandbox.id}/state").json()["profiles"]["hourfleet"]
    assert world["carShare"]["Tenant"]
