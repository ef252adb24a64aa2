"""Fixtures of the hourfleet tests: clients acting as a car owner, a borrower, an operator and the
client application of a fresh sandbox, and a car of the owner's."""

from __future__ import annotations

import pytest

from .steps import new_car, soon


@pytest.fixture
def owner(sandbox):
    client = sandbox.hourfleet("user", 0)
    yield client
    client.close()


@pytest.fixture
def borrower(sandbox):
    client = sandbox.hourfleet("user", 1)
    yield client
    client.close()


@pytest.fixture
def another(sandbox):
    client = sandbox.hourfleet("user", 2)
    yield client
    client.close()


@pytest.fixture
def ops(sandbox):
    client = sandbox.hourfleet("ops")
    yield client
    client.close()


@pytest.fixture
def app(sandbox):
    client = sandbox.hourfleet("clientapplication")
    yield client
    client.close()


@pytest.fixture
def car(owner) -> dict:
    return new_car(owner)


@pytest.fixture
def booking(borrower, car) -> dict:
    response = borrower.post(f"/cars/{car['Id']}/bookings", json={"StartDateUtc": soon(10), "EndDateUtc": soon(130)})
    assert response.status_code == 201, response.text
    return response.json()["CarBooking"]
