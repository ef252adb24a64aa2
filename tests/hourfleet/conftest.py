"""Fixtures of the hourfleet tests: clients acting as a car owner, a borrower, an operator and the
client application of a fresh sandbox, and a car of the owner's."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest


def utc(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def soon(minutes: float) -> str:
    """A UTC timestamp `minutes` from now (real time: a fresh sandbox's clock runs in real time)."""
    return utc(datetime.now(timezone.utc) + timedelta(minutes=minutes))


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
    response = owner.post("/cars", json={"Make": "Toyota", "Model": "Yaris", "Year": 2021, "LicensePlate": "TST-001", "Color": "Blue"})
    assert response.status_code == 201, response.text
    return response.json()["Car"]


@pytest.fixture
def booking(borrower, car) -> dict:
    response = borrower.post(f"/cars/{car['Id']}/bookings", json={"StartDateUtc": soon(10), "EndDateUtc": soon(130)})
    assert response.status_code == 201, response.text
    return response.json()["CarBooking"]
