"""Steps the hourfleet tests share: timestamps in the vendor's format, a car of one's own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def utc(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def soon(minutes: float) -> str:
    """A UTC timestamp `minutes` from now (real time: a fresh sandbox's clock runs in real time)."""
    return utc(datetime.now(UTC) + timedelta(minutes=minutes))


def new_car(owner) -> dict:
    """A car of `owner`'s, a blue 2021 Toyota Yaris plated TST-001."""
    car = {"Make": "Toyota", "Model": "Yaris", "Year": 2021, "LicensePlate": "TST-001", "Color": "Blue"}
    response = owner.post("/cars", json=car)
    assert response.status_code == 201, response.text
    return response.json()["Car"]
