"""Building an hourfleet world straight from its generator: the objects `state.load` would make of the generated
document, without the document (at 100,000 cars it would cost as much as the world)."""

from __future__ import annotations

from itertools import repeat
from typing import TYPE_CHECKING

from fixtures.hourfleet import REDIRECT_URI, VERIFICATIONS, generate_hourfleet
from fixtures.quiet import generated_quietly

from .records import Booking, Car, CarShare, User, Verification
from .world import HourfleetWorld

if TYPE_CHECKING:
    from fixtures.hourfleet_big import BookingColumns, CarColumns, UserColumns
    from mockserver.engine.sandbox import Sandbox


def build_world(seed: int, size: int, sandbox: Sandbox) -> HourfleetWorld:
    """The world `load_world(build_hourfleet_world(seed, size))` gives, built directly (tests/test_big_worlds.py)."""
    return generated_quietly(generate_hourfleet, seed, size, _WorldRecords(sandbox))


class _WorldRecords:
    """The generator's records made into the world's objects (the methods of `fixtures.hourfleet.DocumentRecords`).

    What the generator draws is consistent by construction (unique ids, plates and references, bookings of a
    car one after the other), so none of the checks an imported document needs is made again.
    """

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def user(self, id_: str, username: str, password: str, first: str, last: str, role: str, created) -> User:
        return User(id_, username, password, first, last, username, role, created)

    def verification(self, id_: str, kind: str, status: str, verified) -> Verification:
        return Verification(id_, kind, status, verified)

    def car(self, id_, owner, make, model, year, color, plate, seats, price, suburb, created, modified, rating, checks):
        average, count = rating
        return Car(
            id_, owner.id, make, model, year, plate, created, modified, color, seats, price, suburb, True, average,
            count, checks,
        )  # fmt: skip

    def booking(self, id_, car, borrower, reference, state, start, end, created, dates, modified) -> Booking:
        return Booking(id_, car.id, borrower.id, reference, state, start, end, created, modified, dates)

    def users(self, columns: UserColumns) -> list[User]:
        ids, usernames, passwords, firsts, lasts, roles, created = columns
        return list(map(User, ids, usernames, passwords, firsts, lasts, usernames, roles, created))

    def cars(self, columns: CarColumns) -> list[Car]:
        checks = list(map(Verification, *columns.verifications))
        kinds = len(VERIFICATIONS)
        every = map(list, zip(*(checks[kind::kinds] for kind in range(kinds)), strict=True))  # each car's, in turn
        c = columns
        return list(map(
            Car, c.ids, c.owner_ids, c.makes, c.models, c.years, c.plates, c.created, c.modified, c.colors, c.seats,
            c.prices, c.suburbs, repeat(True), c.rating_averages, c.rating_counts, every,
        ))  # fmt: skip

    def bookings(self, columns: BookingColumns) -> list[Booking]:
        c = columns
        return list(map(
            Booking, c.ids, c.car_ids, c.borrower_ids, c.references, c.states, c.starts, c.ends, c.created, c.modified,
            c.dates,
        ))  # fmt: skip

    def world(self, city: str, tenant: str, users: list, cars: list, bookings: list) -> HourfleetWorld:
        apps = [(f"{city} Car Share app", REDIRECT_URI)]
        return HourfleetWorld(
            self.sandbox,
            CarShare(f"{city} Car Share", tenant),
            apps,
            {user.id: user for user in users},
            {car.id: car for car in cars},
            {booking.id: booking for booking in bookings},
        )
