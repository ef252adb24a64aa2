"""A car's bookings: searching, reading and requesting them, and the lifecycle of who may move a
booking from which state to which, and what it raises.

Pending --approve--> Approved --use--> InUse --return--> Returned --complete--> Completed
   |                    |   \\__extend__/  |
   +--decline--> Declined    +--cancel--> Cancelled  (from Pending or Approved)
"""

from __future__ import annotations

import random
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from fixtures.hourfleet import parse_utc_timestamp
from mockserver.engine import replica
from mockserver.engine.clock import VirtualClock
from mockserver.engine.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound

from . import views
from .records import (
    APPROVED,
    CANCELLED,
    COMPLETED,
    DECLINED,
    HOLDING,
    IN_USE,
    PENDING,
    RETURNED,
    Booking,
    Caller,
    Car,
    User,
)
from .search import SearchQuery, embeds_of, search

# The vendor's default timings (research C.9, "configure business model").
MINIMUM_PERIOD = timedelta(minutes=30)
MAXIMUM_PERIOD = timedelta(minutes=20160)
USE_BEFORE_START = timedelta(minutes=15)
OWNER, BORROWER = "owner", "borrower"
PAST = {
    "approve": "approved",
    "decline": "declined",
    "cancel": "cancelled",
    "use": "used",
    "extend": "extended",
    "return": "returned",
    "complete": "completed",
}


@dataclass(frozen=True)
class Action:
    """One lifecycle action: the states it starts from, where it leads, who may do it, what it raises."""

    name: str
    sources: tuple[str, ...]
    target: str | None  # None keeps the state (extend)
    actors: tuple[str, ...]
    date: str | None = None
    event: str | None = None


ACTIONS = {
    action.name: action
    for action in (
        Action("approve", (PENDING,), APPROVED, (OWNER,), "ApprovedDateUtc", "carbooking_approve"),
        Action("decline", (PENDING,), DECLINED, (OWNER,), "DeclinedDateUtc"),
        Action("cancel", (PENDING, APPROVED), CANCELLED, (OWNER, BORROWER), "CancelledDateUtc", "carbooking_cancel"),
        Action("use", (APPROVED,), IN_USE, (BORROWER,), "StartedDateUtc", "carbooking_use"),
        Action("extend", (APPROVED, IN_USE), None, (BORROWER,), None, "carbooking_extend"),
        Action("return", (IN_USE,), RETURNED, (BORROWER,), "ReturnedDateUtc", "carbooking_return"),
        Action("complete", (RETURNED,), COMPLETED, (OWNER,), "CompletedDateUtc", "carbooking_complete"),
    )
}


def relation(caller: Caller, car: Car, booking: Booking | None = None) -> set[str]:
    """What the caller is to the car and booking; an operator acts as the owner."""
    related = set()
    if caller.user_id == car.owner_id or caller.is_ops():
        related.add(OWNER)
    if booking is not None and caller.user_id == booking.borrower_id:
        related.add(BORROWER)
    return related


def visible(caller: Caller, car: Car, booking: Booking) -> bool:
    return bool(relation(caller, car, booking))


def reference(bookings: Mapping[str, Booking], rng: random.Random) -> str:
    alphabet = string.ascii_uppercase + string.digits
    taken = {b.reference for b in bookings.values()}
    while True:
        candidate = "".join(rng.choice(alphabet) for _ in range(8))
        if candidate not in taken:
            return candidate


def _check_period(start: datetime, end: datetime, now: datetime, field: str) -> None:
    problems = []
    if start <= now and field == "StartDateUtc":
        problems.append(FieldError("StartDateUtc", "must be in the future.", "GreaterThan"))
    if end - start < MINIMUM_PERIOD:
        problems.append(FieldError("EndDateUtc", "must be at least 30 minutes after StartDateUtc.", "GreaterThan"))
    elif end - start > MAXIMUM_PERIOD:
        problems.append(
            FieldError(
                field if field == "EndDateUtc" else "EndDateUtc",
                "must be at most 14 days after StartDateUtc.",
                "LessThanOrEqual",
            )
        )
    if problems:
        raise InvalidInput(f"{problems[0].field}: {problems[0].message}", tuple(problems))


def _check_free(
    bookings: Mapping[str, Booking], car: Car, start: datetime, end: datetime, ignore: str | None = None
) -> None:
    for other in bookings.values():
        if (
            other.car_id == car.id
            and other.id != ignore
            and other.state in HOLDING
            and other.start < end
            and start < other.end
        ):
            raise Conflict(
                f"The car is already booked from {other.start:%Y-%m-%dT%H:%MZ} to {other.end:%Y-%m-%dT%H:%MZ} (booking "
                f"{other.reference})."
            )


def create(
    bookings: dict[str, Booking],
    caller: Caller,
    car: Car,
    start: datetime,
    end: datetime,
    new_id: str,
    clock: VirtualClock,
    rng: random.Random,
) -> Booking:
    if caller.user_id == car.owner_id:
        raise Forbidden("A car's owner cannot book their own car.")
    now = clock.now()
    _check_period(start, end, now, "StartDateUtc")
    _check_free(bookings, car, start, end)
    stamp = clock.tick()
    booking = Booking(new_id, car.id, caller.user_id or "", reference(bookings, rng), PENDING, start, end, stamp, stamp)
    bookings[booking.id] = booking
    return booking


def act(
    bookings: Mapping[str, Booking],
    caller: Caller,
    car: Car,
    booking: Booking,
    name: str,
    new_end: datetime | None,
    clock: VirtualClock,
) -> str | None:
    """Apply one action; answers the event it raises (or None)."""
    action = ACTIONS[name]
    if not relation(caller, car, booking) & set(action.actors):
        raise Forbidden(f"Only the booking's {' or '.join(action.actors)} may {name} it.")
    if booking.state not in action.sources:
        raise Conflict(
            f"The booking is {booking.state}; only a {' or '.join(action.sources)} booking can be {PAST[name]}."
        )
    now = clock.now()
    if name == "use" and not booking.start - USE_BEFORE_START <= now < booking.end:
        raise Conflict("The booking can be used from 15 minutes before its StartDateUtc until its EndDateUtc.")
    if name == "approve":
        _check_free(bookings, car, booking.start, booking.end, booking.id)
    if name == "extend":
        if new_end is None or new_end <= booking.end:
            raise InvalidInput(
                "EndDateUtc: must be later than the booking's current EndDateUtc.",
                (FieldError("EndDateUtc", "must be later than the booking's current EndDateUtc.", "GreaterThan"),),
            )
        _check_period(booking.start, new_end, now, "EndDateUtc")
        _check_free(bookings, car, booking.end, new_end, booking.id)
        booking.end = new_end
    stamp = clock.tick()
    if action.target is not None:
        booking.state = action.target
    if action.date is not None:
        booking.dates[action.date] = stamp
    booking.modified = stamp
    return action.event


def find(bookings: Mapping[str, Booking], car: Car, booking_id: str) -> Booking:
    booking = bookings.get(booking_id.lower())
    if booking is None or booking.car_id != car.id:
        raise NotFound(f"No booking with Id '{booking_id}' for car '{car.id}'.")
    return booking


def _view(booking: Booking, car: Car, users: Mapping[str, User], embeds: frozenset[str]) -> dict:
    return views.booking_view(booking, car, users.get(booking.borrower_id), embeds)


def search_car(
    bookings: Mapping[str, Booking],
    users: Mapping[str, User],
    caller: Caller,
    car: Car,
    states: list[str] | None,
    from_utc: str,
    to_utc: str,
    query: SearchQuery,
    embed: str | None,
) -> dict:
    """The car's bookings the caller may see, of the given states, overlapping `from_utc`..`to_utc`."""
    embeds = embeds_of(embed, "CarBooking", views.BOOKING_EMBEDS, single=False)
    start, end = parse_utc_timestamp(from_utc), parse_utc_timestamp(to_utc)
    chosen = [
        b
        for b in bookings.values()
        if b.car_id == car.id
        and visible(caller, car, b)
        and (not states or b.state in states)
        and b.start < end
        and start < b.end
    ]
    rows, metadata = search([_view(b, car, users, embeds) for b in chosen], views.BOOKING_SEARCH, query)
    return {"CarBookings": rows, "Metadata": metadata}


def get(
    bookings: Mapping[str, Booking],
    users: Mapping[str, User],
    caller: Caller,
    car: Car,
    booking_id: str,
    embed: str | None,
) -> dict:
    embeds = embeds_of(embed, "CarBooking", views.BOOKING_EMBEDS, single=True)
    booking = find(bookings, car, booking_id)
    if not visible(caller, car, booking):
        raise Forbidden("Only the booking's borrower, the car's owner or an operator may see it.")
    return {"CarBooking": _view(booking, car, users, embeds)}


def request(
    bookings: dict[str, Booking], caller: Caller, car: Car, body: dict, clock: VirtualClock, rng: random.Random
) -> Booking:
    """A new Pending booking of the car, from a request's `StartDateUtc` and `EndDateUtc`."""
    start, end = parse_utc_timestamp(body["StartDateUtc"]), parse_utc_timestamp(body["EndDateUtc"])
    return create(bookings, caller, car, start, end, replica.new_uuid(), clock, rng)


def act_on(
    bookings: Mapping[str, Booking],
    caller: Caller,
    car: Car,
    booking_id: str,
    name: str,
    new_end: str | None,
    clock: VirtualClock,
) -> tuple[Booking, str | None]:
    """Apply one action to a booking the caller can see; answers the booking and the event raised (or None)."""
    booking = find(bookings, car, booking_id)
    # A booking the caller may not see is, to them, not there.
    if not visible(caller, car, booking):
        raise NotFound(f"No booking with Id '{booking_id}' for car '{car.id}'.")
    extended_to = parse_utc_timestamp(new_end) if new_end else None
    return booking, act(bookings, caller, car, booking, name, extended_to, clock)


def announcement(event: str, booking: Booking, car: Car) -> dict:
    """The payload of a booking's lifecycle event."""
    shown = views.booking_view(booking)
    return {
        "Name": event,
        "Id": booking.id,
        "Reference": booking.reference,
        "CarId": car.id,
        "StartDateUtc": shown["StartDateUtc"],
        "EndDateUtc": shown["EndDateUtc"],
    }
