"""Tests of the INVERS example: a sharing seen by the partner until its end passes on the sandbox clock."""

from datetime import timedelta

import pytest
from invers_sharing import InversSharing


def fleet(sandbox, number: int) -> InversSharing:
    client = sandbox.invers.fleets[number]
    return InversSharing(sandbox.invers.base_url, client.client_id, client.client_secret)


@pytest.mark.fleetbox(seed=3, size=4)
def test_a_shared_vehicle_is_the_partners_until_the_sharing_ends(fleetbox_sandbox):
    owner, partner = fleet(fleetbox_sandbox, 0), fleet(fleetbox_sandbox, 1)
    assert fleetbox_sandbox.invers.fleets[1].fleet_id in owner.partners()

    shared = owner.share_one(owner.partners()[0], until=fleetbox_sandbox.clock.now() + timedelta(hours=2))
    assert shared in partner.vehicle_ids()
    fleetbox_sandbox.journal.assert_requested("POST", "/vehicles/*/sharing", times=1)

    fleetbox_sandbox.clock.advance(hours=3)
    assert shared not in partner.vehicle_ids()
    ended = fleetbox_sandbox.events(audience=fleetbox_sandbox.invers.fleets[1].fleet_id, type="VehicleChanged")
    assert [e.payload["reasons"] for e in ended][-2:] == [["SHARING_STARTED"], ["SHARING_ENDED"]]
