"""Loading and exporting the hourfleet world document (`HourfleetState` in openapi/sandbox.yaml).

Loading checks what a schema cannot: unique ids, usernames and license plates, references that
resolve, dates that are real UTC instants, approved bookings that do not overlap. Any inconsistency
raises `Unprocessable` before anything is built, so an import is all or nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from fixtures.hourfleet import parse_utc_timestamp, utc_timestamp
from mockserver.engine import replica
from mockserver.engine.errors import Unprocessable

from .records import HOLDING, Booking, Car, CarShare, ClientApplication, User, Verification
from .views import booking_view, car_view

BOOKING_DATES = (
    "ApprovedDateUtc",
    "DeclinedDateUtc",
    "CancelledDateUtc",
    "StartedDateUtc",
    "ReturnedDateUtc",
    "CompletedDateUtc",
)


def _when(text: str | None, where: str):
    if text is None:
        return None
    try:
        return parse_utc_timestamp(text)
    except ValueError as error:
        raise Unprocessable(f"{where}: {text!r} is not a UTC timestamp.") from error


def _unique(seen: set | dict, key, where: str) -> None:
    """Refuse a key `seen` holds; a set learns it (a dict learns it when the record is stored)."""
    if key in seen:
        raise Unprocessable(f"{where} appears twice.")
    if isinstance(seen, set):
        seen.add(key)


def _users(records: list[dict]) -> dict[str, User]:
    users: dict[str, User] = {}
    names: set[str] = set()
    for r in records:
        where = f"User {r['Id']}"
        _unique(users, r["Id"].lower(), where)
        _unique(names, r["Username"].casefold(), f"Username {r['Username']!r}")
        users[r["Id"].lower()] = User(
            r["Id"].lower(),
            r["Username"],
            r["Password"],
            r["FirstName"],
            r["LastName"],
            r["Email"],
            r["Role"],
            _when(r["CreatedDateUtc"], where),
        )
    return users


def _cars(records: list[dict], users: dict[str, User]) -> dict[str, Car]:
    cars: dict[str, Car] = {}
    plates: set[str] = set()
    for r in records:
        where = f"Car {r['Id']}"
        _unique(cars, r["Id"].lower(), where)
        _unique(
            plates,
            r["LicensePlate"].replace(" ", "").replace("-", "").casefold(),
            f"License plate {r['LicensePlate']!r}",
        )
        if r["OwnerId"].lower() not in users:
            raise Unprocessable(f"{where} names an owner that is not a user: {r['OwnerId']}.")
        rating = r.get("Rating") or {"Average": 0, "Count": 0}
        cars[r["Id"].lower()] = Car(
            r["Id"].lower(),
            r["OwnerId"].lower(),
            r["Make"],
            r["Model"],
            r["Year"],
            r["LicensePlate"],
            _when(r["CreatedDateUtc"], where),
            _when(r["LastModifiedDateUtc"], where),
            r.get("Color"),
            r.get("Seats"),
            r.get("PricePerHour"),
            r.get("Suburb"),
            r.get("IsLocked", True),
            rating["Average"],
            rating["Count"],
            [
                Verification(v["Id"].lower(), v["Type"], v["Status"], _when(v.get("VerifiedDateUtc"), where))
                for v in r.get("Verifications", [])
            ],
        )
    return cars


def _bookings(records: list[dict], users: dict[str, User], cars: dict[str, Car]) -> dict[str, Booking]:
    bookings: dict[str, Booking] = {}
    holding: dict[str, list[Booking]] = {}
    references: set[str] = set()
    for r in records:
        where = f"Booking {r['Id']}"
        _unique(bookings, r["Id"].lower(), where)
        _unique(references, r["Reference"], f"Booking reference {r['Reference']}")
        if r["CarId"].lower() not in cars or r["BorrowerId"].lower() not in users:
            raise Unprocessable(f"{where} names a car or borrower that does not exist.")
        booking = Booking(
            r["Id"].lower(),
            r["CarId"].lower(),
            r["BorrowerId"].lower(),
            r["Reference"],
            r["State"],
            _when(r["StartDateUtc"], where),
            _when(r["EndDateUtc"], where),
            _when(r["CreatedDateUtc"], where),
            _when(r["LastModifiedDateUtc"], where),
            {name: _when(r[name], where) for name in BOOKING_DATES if name in r},
        )
        if booking.end <= booking.start:
            raise Unprocessable(f"{where} ends before it starts.")
        if booking.state in HOLDING:
            for other in holding.setdefault(booking.car_id, []):
                if other.start < booking.end and booking.start < other.end:
                    raise Unprocessable(f"{where} overlaps the approved booking {other.id} of the same car.")
            holding[booking.car_id].append(booking)
        bookings[booking.id] = booking
    return bookings


def load(document: dict) -> tuple[CarShare, list[tuple[str, str]], dict[str, User], dict[str, Car], dict[str, Booking]]:
    """A state document's car share, client applications (name, redirect URI), users, cars and bookings, or
    `Unprocessable` naming the first inconsistency."""
    users = _users(document["users"])
    cars = _cars(document["cars"], users)
    bookings = _bookings(document["bookings"], users, cars)
    apps = [(app["Name"], app["RedirectUri"]) for app in document["clientApplications"]]
    if len({name for name, _ in apps}) != len(apps):
        raise Unprocessable("Two client applications have the same name.")
    share = CarShare(document["carShare"]["Name"], document["carShare"]["Tenant"])
    return share, apps, users, cars, bookings


def _date(instant) -> str | None:
    return utc_timestamp(instant) if instant is not None else None


def export(
    car_share: CarShare,
    clients: Mapping[str, ClientApplication],
    users: Mapping[str, User],
    cars: Mapping[str, Car],
    bookings: Mapping[str, Booking],
) -> dict:
    """A world's car share, client applications, users, cars and bookings as a state document (`load` reads
    it back)."""
    user_records = [
        {
            "Id": u.id,
            "Username": u.username,
            "Password": u.password,
            "FirstName": u.first_name,
            "LastName": u.last_name,
            "Email": u.email,
            "Role": u.role,
            "CreatedDateUtc": _date(u.created),
        }
        for u in users.values()
    ]
    return {
        "carShare": {"Name": car_share.name, "Tenant": car_share.tenant},
        "clientApplications": [{"Name": c.name, "RedirectUri": c.redirect_uri} for c in clients.values()],
        "users": user_records,
        "cars": [car_view(car) for car in cars.values()],
        "bookings": [booking_view(b) for b in bookings.values()],
    }


# --- snapshots: users, cars and bookings as columns ----------------------------------------------------

_USER_FIELDS = User.__slots__
_CAR_FIELDS = tuple(name for name in Car.__slots__ if name != "verifications")
_VERIFICATION_FIELDS = Verification.__slots__
_BOOKING_FIELDS = tuple(name for name in Booking.__slots__ if name != "dates")
_TIMES = frozenset({"created", "modified", "verified", "start", "end"})


def pack_tables(users: dict[str, User], cars: dict[str, Car], bookings: dict[str, Booking]) -> dict:
    """The world's big tables as a few lists each (`HourfleetWorld.__getstate__`; `replica` says why)."""
    car_list, booking_list = list(cars.values()), list(bookings.values())
    checks = [check for car in car_list for check in car.verifications]
    kinds: dict[tuple[str, ...], int] = {}  # the names of a booking's dates: a few distinct tuples
    return {
        "users": (list(users), replica.columns(list(users.values()), _USER_FIELDS, _TIMES)),
        "cars": (list(cars), replica.columns(car_list, _CAR_FIELDS, _TIMES)),
        "verifications": (
            [len(car.verifications) for car in car_list],
            replica.columns(checks, _VERIFICATION_FIELDS, _TIMES),
        ),
        "bookings": (list(bookings), replica.columns(booking_list, _BOOKING_FIELDS, _TIMES)),
        "booking_dates": (
            [kinds.setdefault(tuple(booking.dates), len(kinds)) for booking in booking_list],
            replica.instants([when for booking in booking_list for when in booking.dates.values()]),
            kinds,
        ),
    }


def unpack_tables(packed: dict) -> tuple[dict[str, User], dict[str, Car], dict[str, Booking]]:
    """The users, cars and bookings `pack_tables` packed, as they were."""
    keys, columns = packed["users"]
    users = dict(zip(keys, map(User, *replica.columns_of(columns, _USER_FIELDS, _TIMES)), strict=True))
    counts, columns = packed["verifications"]
    checks = iter(map(Verification, *replica.columns_of(columns, _VERIFICATION_FIELDS, _TIMES)))
    lists = [list(itertools.islice(checks, count)) for count in counts]
    keys, columns = packed["cars"]
    cars = dict(zip(keys, map(Car, *replica.columns_of(columns, _CAR_FIELDS, _TIMES), lists), strict=True))
    kind_of, instants, kinds = packed["booking_dates"]
    names = list(kinds)
    flat = iter(replica.instants_of(instants))
    # `held` first: zip stops at its end without taking one more instant from `flat`.
    dates = [dict(zip(held, flat, strict=False)) for held in map(names.__getitem__, kind_of)]
    keys, columns = packed["bookings"]
    made = map(Booking, *replica.columns_of(columns, _BOOKING_FIELDS, _TIMES), dates)
    return users, cars, dict(zip(keys, made, strict=True))
