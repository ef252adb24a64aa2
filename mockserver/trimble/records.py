"""The trimble profile's records, and what distinguishes vehicles from drivers (names only, not rules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

DIRECT, PARTNER, CUSTOMER = "direct", "partner", "customer"


@dataclass(slots=True)
class Account:
    """A fleet account. A customer belongs to a partner; the partner's key can act for it."""

    id: int
    name: str
    type: str
    partner_id: int | None = None


@dataclass(frozen=True)
class Caller:
    """Who a token speaks for: the fleet it acts on, and the account whose key issued it."""

    account_id: int
    key_account_id: int
    partner_access: bool


@dataclass(slots=True)
class Member:
    """A vehicle or a driver: what the vendor calls `Id`, `VehicleId`/`DriverId`, `Name`, `ModifiedOn`."""

    id: int
    external_id: str
    name: str
    modified_on: datetime
    account_id: int


@dataclass(slots=True)
class VehicleGroup:
    """A vehicle group of one account; `vehicle_ids` are member system ids, kept in insertion order."""

    id: int
    name: str
    modified_on: datetime
    vehicle_ids: dict[int, None] = field(default_factory=dict)


@dataclass(frozen=True)
class MemberKind:
    """The vocabulary of one kind of fleet member; the batch rules are the same for every kind."""

    noun: str
    plural: str
    id_keys: tuple[str, ...]
    name_keys: tuple[str, ...]
    write_id_key: str
    list_id_key: str
    sort_fields: dict[str, str]
    sequence: str

    def external_id_of(self, item: dict) -> str:
        """The id of a request item, under whichever accepted key it came (the spec allows one)."""
        return _first_of(item, self.id_keys)

    def name_of(self, item: dict) -> str:
        return _first_of(item, self.name_keys)

    def __reduce__(self) -> str:
        # Pickled by name (`VEHICLES`, `DRIVERS`): every recorded batch names its kind.
        return self.plural.upper()


def _first_of(item: dict, keys: tuple[str, ...]) -> str:
    # A loop, not next() over a generator: a batch asks this twice per item, and the generator cost more than
    # the lookups (request validation has made sure one of the keys is there).
    for key in keys:
        if key in item:
            return item[key]
    raise KeyError(keys)


VEHICLES = MemberKind(
    noun="vehicle",
    plural="vehicles",
    id_keys=("VehicleID", "VehicleId", "vehicleId"),
    name_keys=("Name", "name"),
    write_id_key="VehicleId",
    list_id_key="vehicleId",
    sort_fields={"vehicleId": "external_id", "vehicleName": "name"},
    sequence="vehicle",
)

DRIVERS = MemberKind(
    noun="driver",
    plural="drivers",
    id_keys=("DriverID", "DriverId", "driverId"),
    name_keys=("Name", "name"),
    write_id_key="DriverId",
    list_id_key="driverId",
    sort_fields={"driverId": "external_id", "driverName": "name"},
    sequence="driver",
)

GROUP_NAME_KEYS = ("vehicleGroupName", "VehicleGroupName")
