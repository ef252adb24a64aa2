"""The hourfleet profile's JSON shapes: PascalCase, `...Utc` dates in UTC, empty values omitted."""

from __future__ import annotations

from fixtures.hourfleet import utc_timestamp

from .records import Booking, Car, User, Verification
from .search import SearchRules

# The descendants a Car embeds (GET /cars/{Id} by default; searches only when asked).
CAR_EMBEDS = ("Rating", "Verifications")
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
    ),
    sortable=("StartDateUtc", "EndDateUtc", "CreatedDateUtc", "ApprovedDateUtc", "State", "Reference"),
    default_sort="+StartDateUtc",
)
USER_SEARCH = SearchRules(
    properties=("Id", "Username", "Email", "FirstName", "LastName", "Roles", "CreatedDateUtc"),
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
    view = _present(
        {
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
            "CreatedDateUtc": _date(car.created),
            "LastModifiedDateUtc": _date(car.modified),
        }
    )
    if "Rating" in embeds:
        view["Rating"] = {"Average": car.rating_average, "Count": car.rating_count}
    if "Verifications" in embeds:
        view["Verifications"] = [verification_view(v) for v in car.verifications]
    return view


def booking_view(booking: Booking) -> dict:
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
    return view


def user_view(user: User) -> dict:
    return {
        "Id": user.id,
        "Username": user.username,
        "Email": user.email,
        "FirstName": user.first_name,
        "LastName": user.last_name,
        "Roles": list(user.roles),
        "CreatedDateUtc": _date(user.created),
    }


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
