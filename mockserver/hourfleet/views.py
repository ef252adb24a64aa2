"""The hourfleet profile's JSON shapes: PascalCase, `...Utc` dates in UTC, empty values omitted."""

from __future__ import annotations

from fixtures.hourfleet import utc_timestamp

from .records import Booking, Car, User, Verification
from .search import SearchRules

# The descendants each resource embeds (a single GET embeds them by default; a search only when asked).
CAR_EMBEDS = ("Rating", "Verifications")
# A booking's car (as GET /cars/{Id} shows it) and its borrower's public profile.
BOOKING_EMBEDS = ("Car", "Borrower")
# The cars the account owns (as GET /cars/{Id} shows them).
USER_EMBEDS = ("Cars",)
# What each search returns, sorts by and starts sorted by (the spec's Sort*, Filter* and Distinct*
# parameters list the same names; tests/hourfleet/test_catalogue.py keeps them equal).
CAR_SEARCH = SearchRules(
    properties=(
        "Id",
        "OwnerId",
        "Make",
        "Model",
        "Year",
        "Color",
        "LicensePlate",
        "Seats",
        "PricePerHour",
        "Suburb",
        "IsLocked",
        "CreatedDateUtc",
        "LastModifiedDateUtc",
        "Rating",
        "Verifications",
    ),
    sortable=(
        "CreatedDateUtc",
        "LastModifiedDateUtc",
        "Make",
        "Model",
        "Year",
        "LicensePlate",
        "Suburb",
        "Seats",
        "PricePerHour",
    ),
    default_sort="-CreatedDateUtc",
)
BOOKING_SEARCH = SearchRules(
    properties=(
        "Id",
        "CarId",
        "BorrowerId",
        "Reference",
        "State",
        "StartDateUtc",
        "EndDateUtc",
        "CreatedDateUtc",
        "LastModifiedDateUtc",
        "ApprovedDateUtc",
        "DeclinedDateUtc",
        "CancelledDateUtc",
        "StartedDateUtc",
        "ReturnedDateUtc",
        "CompletedDateUtc",
        "Car",
        "Borrower",
    ),
    sortable=("StartDateUtc", "EndDateUtc", "CreatedDateUtc", "ApprovedDateUtc", "State", "Reference"),
    default_sort="+StartDateUtc",
)
USER_SEARCH = SearchRules(
    properties=("Id", "Username", "Email", "FirstName", "LastName", "Roles", "CreatedDateUtc", "Cars"),
    sortable=("CreatedDateUtc", "Username", "FirstName", "LastName"),
    default_sort="+CreatedDateUtc",
)
SUBSCRIPTION_SEARCH = SearchRules(
    properties=("Id", "Name", "Url", "Events", "CreatedDateUtc"),
    sortable=("CreatedDateUtc", "Name", "Url"),
    default_sort="+CreatedDateUtc",
)


def _present(record: dict) -> dict:
    """ServiceStack omits properties without a value (dates included)."""
    return {key: value for key, value in record.items() if value is not None}


def _date(instant) -> str | None:
    return utc_timestamp(instant) if instant is not None else None


def verification_view(verification: Verification) -> dict:
    return _present(
        {
            "Id": verification.id,
            "Type": verification.type,
            "Status": verification.status,
            "VerifiedDateUtc": _date(verification.verified),
        }
    )


def car_view(car: Car, embeds: frozenset[str] = frozenset(CAR_EMBEDS)) -> dict:
    # `_present` and `_date` written out: a search page builds twenty of these per request.
    created, modified = car.created, car.modified
    view = {
        "Id": car.id,
        "OwnerId": car.owner_id,
        "Make": car.make,
        "Model": car.model,
        "Year": car.year,
        "Color": car.color,
        "LicensePlate": car.license_plate,
        "Seats": car.seats,
        "PricePerHour": car.price_per_hour,
        "Suburb": car.suburb,
        "IsLocked": car.is_locked,
        "CreatedDateUtc": utc_timestamp(created) if created is not None else None,
        "LastModifiedDateUtc": utc_timestamp(modified) if modified is not None else None,
    }
    view = {key: value for key, value in view.items() if value is not None}
    if "Rating" in embeds:
        view["Rating"] = {"Average": car.rating_average, "Count": car.rating_count}
    if "Verifications" in embeds:
        view["Verifications"] = [verification_view(v) for v in car.verifications]
    return view


def profile_view(user: User) -> dict:
    """A user's public profile: what a car's owner may know of the person borrowing it."""
    return {"Id": user.id, "FirstName": user.first_name, "LastName": user.last_name}


def booking_view(
    booking: Booking, car: Car | None = None, borrower: User | None = None, embeds: frozenset[str] = frozenset()
) -> dict:
    view = {
        "Id": booking.id,
        "CarId": booking.car_id,
        "BorrowerId": booking.borrower_id,
        "Reference": booking.reference,
        "State": booking.state,
        "StartDateUtc": _date(booking.start),
        "EndDateUtc": _date(booking.end),
        "CreatedDateUtc": _date(booking.created),
        "LastModifiedDateUtc": _date(booking.modified),
    }
    view.update({name: _date(when) for name, when in booking.dates.items()})
    if "Car" in embeds and car is not None:
        view["Car"] = car_view(car)
    if "Borrower" in embeds and borrower is not None:
        view["Borrower"] = profile_view(borrower)
    return view


def user_view(user: User, cars: list[Car] | None = None, embeds: frozenset[str] = frozenset()) -> dict:
    view = {
        "Id": user.id,
        "Username": user.username,
        "Email": user.email,
        "FirstName": user.first_name,
        "LastName": user.last_name,
        "Roles": list(user.roles),
        "CreatedDateUtc": _date(user.created),
    }
    if "Cars" in embeds:
        view["Cars"] = [car_view(car) for car in sorted(cars or (), key=lambda car: (car.created, car.id))]
    return view


def subscription_view(subscription) -> dict:
    """An engine webhook subscription as Hourfleet shows it."""
    return _present(
        {
            "Id": subscription.id,
            "Name": subscription.name,
            "Url": subscription.url,
            "Events": list(subscription.event_types),
            "CreatedDateUtc": _date(subscription.created_at),
        }
    )
