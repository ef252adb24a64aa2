"""The hourfleet profile's records: the car share's people, cars, bookings and client applications."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

USER, OPS, CLIENT_APPLICATION = "user", "ops", "clientapplication"
PENDING, APPROVED, DECLINED, CANCELLED, IN_USE, RETURNED, COMPLETED = (
    "Pending",
    "Approved",
    "Declined",
    "Cancelled",
    "InUse",
    "Returned",
    "Completed",
)
# States that hold the car: a new booking may not overlap them.
HOLDING = frozenset({APPROVED, IN_USE})


@dataclass(slots=True)
class CarShare:
    name: str
    tenant: str


@dataclass(frozen=True)
class ClientApplication:
    name: str
    redirect_uri: str
    client_id: str
    client_secret: str


@dataclass(slots=True)
class User:
    id: str
    username: str
    password: str
    first_name: str
    last_name: str
    email: str
    role: str  # USER or OPS; an operator is a user too
    created: datetime

    @property
    def roles(self) -> tuple[str, ...]:
        return (USER, OPS) if self.role == OPS else (USER,)

    def __reduce__(self) -> tuple:
        return _by_fields(self)


@dataclass(slots=True)
class Verification:
    id: str
    type: str
    status: str
    verified: datetime | None = None

    def __reduce__(self) -> tuple:
        return _by_fields(self)


@dataclass(slots=True)
class Car:
    id: str
    owner_id: str
    make: str
    model: str
    year: int
    license_plate: str
    created: datetime
    modified: datetime
    color: str | None = None
    seats: int | None = None
    price_per_hour: float | None = None
    suburb: str | None = None
    is_locked: bool = True
    rating_average: float = 0.0
    rating_count: int = 0
    verifications: list[Verification] = field(default_factory=list)

    def __reduce__(self) -> tuple:
        return _by_fields(self)


@dataclass(slots=True)
class Booking:
    id: str
    car_id: str
    borrower_id: str
    reference: str
    state: str
    start: datetime
    end: datetime
    created: datetime
    modified: datetime
    # `ApprovedDateUtc` -> when; only the dates the booking's history has.
    dates: dict[str, datetime] = field(default_factory=dict)

    def __reduce__(self) -> tuple:
        return _by_fields(self)


@dataclass(frozen=True)
class Caller:
    """Who a token speaks for: a user acting through a client, or a client application alone."""

    client_id: str
    roles: frozenset[str]
    user_id: str | None = None

    @property
    def principal(self) -> str:
        return self.user_id or self.client_id

    def is_ops(self) -> bool:
        return OPS in self.roles


def _by_fields(record: Any) -> tuple:
    """Pickle a slots dataclass as its fields in order: a snapshot of a big world holds hundreds of thousands,
    and the default for slots builds a dict of each one's state (twice the time, and garbage to collect)."""
    return type(record), tuple(getattr(record, name) for name in record.__slots__)
