"""Fixtures of the invers tests: clients of a fresh sandbox's fleets, by their FleetShare role.

Every generated world has the same partnerships (fixtures/invers.py): fleet 0 is a partner of fleets
1 and 2, which are not partners of each other, and fleet 3 is nobody's partner.
"""

from __future__ import annotations

import pytest

from .steps import LONER, OTHER_PARTNER, OWNER, PARTNER


def _client(sandbox, fleet: int):
    client = sandbox.invers(fleet)
    yield client
    client.close()


@pytest.fixture
def owner(sandbox):
    """Fleet 0's client: the fleet that shares vehicles in these tests."""
    yield from _client(sandbox, OWNER)


@pytest.fixture
def partner(sandbox):
    """Fleet 1's client: a sharing partner of fleet 0."""
    yield from _client(sandbox, PARTNER)


@pytest.fixture
def other_partner(sandbox):
    """Fleet 2's client: a partner of fleet 0, but not of fleet 1."""
    yield from _client(sandbox, OTHER_PARTNER)


@pytest.fixture
def loner(sandbox):
    """Fleet 3's client: nobody's partner."""
    yield from _client(sandbox, LONER)


@pytest.fixture
def fleet_ids(sandbox) -> list[str]:
    return [client["fleet_id"] for client in sandbox.data["credentials"]["invers"]]
