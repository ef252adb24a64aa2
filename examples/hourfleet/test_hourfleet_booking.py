"""Tests of the Hourfleet example, with a user token the fixture obtains without a browser."""

from datetime import timedelta

import httpx
import pytest
from hourfleet_booking import CarBooker


def test_a_member_books_a_car(fleetbox_sandbox):
    hourfleet = fleetbox_sandbox.hourfleet
    booker = CarBooker(hourfleet.base_url, hourfleet.user_token(hourfleet.members[0]))

    booking = booker.book_any_car(start=fleetbox_sandbox.clock.now() + timedelta(days=1), hours=3)

    assert booking["State"] == "Pending"
    fleetbox_sandbox.journal.assert_requested("POST", "/cars/*/bookings", times=1)


def test_a_booking_in_the_past_is_refused(fleetbox_sandbox):
    hourfleet = fleetbox_sandbox.hourfleet
    booker = CarBooker(hourfleet.base_url, hourfleet.user_token())

    with pytest.raises(httpx.HTTPStatusError) as refused:
        booker.book_any_car(start=fleetbox_sandbox.clock.now() - timedelta(days=1), hours=3)

    assert refused.value.response.status_code == 400
    fleetbox_sandbox.journal.assert_requested("POST", "/cars/*/bookings", times=1, status=400)
