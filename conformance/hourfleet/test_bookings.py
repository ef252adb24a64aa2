"""Bookings: the lifecycle and who sees what (vendor sections "Search APIs" and the booking states of
the notifications)."""

from __future__ import annotations

from .. import expect
from ..rules import rule
from .steps import utc_in

AREA = "Bookings"


def state_after(party, booking: dict, action: str, **body) -> dict:
    response = party.act(booking, action, **body)
    expect.status(response, 202)
    return expect.json_of(response)["CarBooking"]


@rule(
    "HOURFLEET-BOOK-01",
    "a new booking of a car starts Pending, with a Reference",
    AREA,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_pending(booking):
    expect.equal(booking.get("State"), "Pending", "State")
    expect.true(bool(booking.get("Reference")), "a Reference")


@rule(
    "HOURFLEET-BOOK-02",
    "the car's owner approves a pending booking: Approved, with ApprovedDateUtc",
    AREA,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_approve(owner, booking):
    approved = state_after(owner, booking, "approve")
    expect.equal(approved.get("State"), "Approved", "State")
    expect.true("ApprovedDateUtc" in approved, "an ApprovedDateUtc")


@rule(
    "HOURFLEET-BOOK-03",
    "the borrower uses and returns the car, and the owner completes the booking: InUse, Returned, Completed",
    AREA,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_use_return_complete(owner, borrower, booking):
    state_after(owner, booking, "approve")
    expect.equal(state_after(borrower, booking, "use").get("State"), "InUse", "State after use")
    expect.equal(state_after(borrower, booking, "return").get("State"), "Returned", "State after return")
    expect.equal(state_after(owner, booking, "complete").get("State"), "Completed", "State after complete")


@rule(
    "HOURFLEET-BOOK-04",
    "the borrower extends an approved booking: its EndDateUtc moves later",
    AREA,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_extend(owner, borrower, booking):
    state_after(owner, booking, "approve")
    new_end = utc_in(300)
    extended = state_after(borrower, booking, "extend", EndDateUtc=new_end)
    expect.equal(extended.get("EndDateUtc"), new_end, "EndDateUtc")


@rule(
    "HOURFLEET-BOOK-05",
    "the borrower cancels a booking: Cancelled",
    AREA,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_cancel(borrower, booking):
    expect.equal(state_after(borrower, booking, "cancel").get("State"), "Cancelled", "State")


@rule(
    "HOURFLEET-BOOK-06",
    "the owner and a borrower see different bookings of the same car",
    AREA,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_who_sees_what(owner, borrower, third, car, booking):
    theirs = third.book(car, start_in=400)
    seen_by_owner = {b["Id"] for b in expect.json_of(owner.http.get(f"/cars/{car['Id']}/bookings"))["CarBookings"]}
    seen_by_borrower = {
        b["Id"] for b in expect.json_of(borrower.http.get(f"/cars/{car['Id']}/bookings"))["CarBookings"]
    }
    expect.true({booking["Id"], theirs["Id"]} <= seen_by_owner, "the owner seeing both bookings")
    expect.equal(seen_by_borrower, {booking["Id"]}, "the bookings the borrower sees (their own only)")


@rule(
    "HOURFLEET-BOOK-07",
    "states=Approved,InUse keeps only bookings in those states",
    AREA,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_states_filter(owner, borrower, car, booking):
    other = borrower.book(car, start_in=400)
    state_after(owner, booking, "approve")
    listed = expect.json_of(owner.http.get(f"/cars/{car['Id']}/bookings", params={"states": "Approved,InUse"}))[
        "CarBookings"
    ]
    expect.equal([b["Id"] for b in listed], [booking["Id"]], "the bookings listed")
    expect.true(other["Id"] not in [b["Id"] for b in listed], "the pending booking left out")


@rule(
    "HOURFLEET-BOOK-08",
    "a borrower cannot approve a booking (403)",
    AREA,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_borrower_cannot_approve(borrower, booking):
    expect.status(borrower.act(booking, "approve"), 403)


@rule(
    "HOURFLEET-BOOK-09",
    "an action the booking's state does not allow answers 409",
    AREA,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_wrong_state(owner, booking):
    expect.status(owner.act(booking, "complete"), 409)
