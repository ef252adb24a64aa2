"""A tiny Hourfleet client: a member books someone else's car for a few hours."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx


class CarBooker:
    def __init__(self, base_url: str, user_token: str) -> None:
        self.http = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {user_token}"}, timeout=10)

    def book_any_car(self, start: datetime, hours: int) -> dict:
        """A Pending booking of the first car the user does not own."""
        me = self.http.get("/useraccounts").raise_for_status().json()["UserAccounts"][0]["Id"]
        cars = self.http.get("/cars", params={"Limit": 50}).raise_for_status().json()["Cars"]
        car = next(car for car in cars if car["OwnerId"] != me)
        times = {"StartDateUtc": utc(start), "EndDateUtc": utc(start + timedelta(hours=hours))}
        response = self.http.post(f"/cars/{car['Id']}/bookings", json=times)
        return response.raise_for_status().json()["CarBooking"]


def utc(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")
