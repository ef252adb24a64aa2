"""The invers profile's records: fleets, their API clients, vehicles, their state and sharing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

# How a sharing looks to each side (`sharing.status`).
SHARED_OWN_VEHICLE = "SHARED_OWN_VEHICLE"
SHARED_PARTNER_VEHICLE = "SHARED_PARTNER_VEHICLE"


@dataclass(frozen=True)
class Fleet:
    id: str
    name: str


@dataclass(frozen=True)
class Client:
    """An API client: who a token speaks for. Each client acts for exactly one fleet."""

    client_id: str
    fleet_id: str


@dataclass(slots=True)
class Sharing:
    """A vehicle lent by its owner's fleet to a partner fleet, from `starts_at` until `ends_at` (None: open)."""

    partner_id: str
    starts_at: datetime
    ends_at: datetime | None


@dataclass(slots=True)
class StateValue:
    """One property of a vehicle's state and when it was recorded."""

    value: Any
    recorded_at: datetime


@dataclass(slots=True)
class Vehicle:
    """A vehicle of one fleet (`fleet_id`, its owner), with what it can do and its latest state."""

    id: str
    fleet_id: str
    created_at: datetime
    modified_at: datetime
    master_data: dict
    telematics_unit: dict
    commands: tuple[str, ...]
    state_capabilities: tuple[str, ...]
    state: dict[str, StateValue]
    sharing: Sharing | None = None

    def shared_with(self, fleet_id: str) -> bool:
        return self.sharing is not None and self.sharing.partner_id == fleet_id

    def audience(self) -> tuple[str, ...]:
        """The fleets that receive this vehicle's events now: the owner, and the partner while shared."""
        return (self.fleet_id,) if self.sharing is None else (self.fleet_id, self.sharing.partner_id)
