"""Steps that arrange a rule's data through the public API, and remove it again afterwards.

What a run creates carries the run's id (`fbx` and six hex digits) in its license plates and names,
so it never collides with real data, and the cars and subscriptions it made are removed when the
rule ends, whether it held or not (bookings go with their car).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from .. import expect

UTC_FORMAT = "%Y-%m-%dT%H:%M:%S.000Z"


def utc_in(minutes: float) -> str:
    """A UTC timestamp `minutes` from now, as Hourfleet reads them."""
    return (datetime.now(UTC) + timedelta(minutes=minutes)).strftime(UTC_FORMAT)


def _named(response: httpx.Response, key: str) -> str | None:
    """The Id of what a 2xx answer says it created (under `key`), whatever else is wrong with it."""
    if not response.is_success:
        return None
    try:
        created = response.json().get(key) or {}
    except (ValueError, AttributeError):
        return None
    return created.get("Id") if isinstance(created, dict) else None


@dataclass
class Party:
    """One caller of the API under test: a user, an operator or the client application."""

    http: httpx.Client  # logs exchanges for the report
    cleaner: httpx.Client  # does not: clean-up is not evidence
    run_id: str
    _serial: itertools.count = field(default_factory=lambda: itertools.count(1))
    _cars: list[str] = field(default_factory=list)
    _subscriptions: list[str] = field(default_factory=list)

    def plate(self) -> str:
        return f"{self.run_id[3:]}-{next(self._serial)}"

    def new_car(self, **extra) -> dict:
        """A car of this party's, created for sure (a failure here is the rule's failure)."""
        body = {
            "Make": "Toyota",
            "Model": "Yaris",
            "Year": 2021,
            "LicensePlate": self.plate(),
            "Color": "Blue",
            **extra,
        }
        response = self.http.post("/cars", json=body)
        # Remembered for clean-up before it is judged: a car created with a wrong answer goes too.
        created = _named(response, "Car")
        if created is not None:
            self._cars.append(created)
        expect.status(response, 201)
        car = expect.json_of(response)["Car"]
        return car

    def remember_car(self, car_id: str) -> None:
        self._cars.append(car_id)

    def book(self, car: dict, start_in: float = 10, minutes: float = 120) -> dict:
        response = self.http.post(
            f"/cars/{car['Id']}/bookings",
            json={"StartDateUtc": utc_in(start_in), "EndDateUtc": utc_in(start_in + minutes)},
        )
        expect.status(response, 201)
        return expect.json_of(response)["CarBooking"]

    def act(self, booking: dict, action: str, **body) -> httpx.Response:
        path = f"/cars/{booking['CarId']}/bookings/{booking['Id']}/{action}"
        return self.http.put(path, json=body) if body else self.http.put(path)

    def subscribe(self, url: str, events: list[str]) -> httpx.Response:
        response = self.http.post(
            "/webhooks/subscriptions", json={"Name": f"{self.run_id} hook", "Url": url, "Events": events}
        )
        created = _named(response, "WebhookSubscription")
        if created is not None:
            self._subscriptions.append(created)
        return response

    def clean_up(self) -> None:
        for subscription_id in self._subscriptions:
            self.cleaner.delete(f"/webhooks/subscriptions/{subscription_id}")
        for car_id in self._cars:
            listed = self.cleaner.get(
                f"/cars/{car_id}/bookings", params={"States": "Pending,Approved", "ToUtc": utc_in(60 * 24 * 365)}
            )
            for booking in listed.json().get("CarBookings", []) if listed.status_code == 200 else []:
                self.cleaner.put(f"/cars/{car_id}/bookings/{booking['Id']}/cancel")
            self.cleaner.delete(f"/cars/{car_id}")
