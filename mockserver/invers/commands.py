"""Vehicle commands (research A.5): which state properties each one sets, and when a vehicle refuses it.

The path segment of a command is its capability in kebab case (`UNLOCK_CENTRAL_LOCK` is
`unlock-central-lock`). A vehicle refuses a command missing from its capabilities, and refuses to be
locked or immobilised while its ignition is on (the vendor's example of a conflicting state is
locking a moving vehicle).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from .problems import CommandNotSupported, ConflictingState
from .records import StateValue, Vehicle


@dataclass(frozen=True)
class Command:
    capability: str
    # The state properties the command sets (only those the vehicle reports change).
    sets: Mapping[str, Any] = field(default_factory=dict)
    refused_while_in_use: bool = False
    # REQUEST_VEHICLE_STATE records every property anew.
    refreshes: bool = False

    @property
    def path_name(self) -> str:
        return self.capability.lower().replace("_", "-")


LOCKED = {"central_lock": "LOCKED"}
UNLOCKED = {"central_lock": "UNLOCKED"}
DRIVING_ON = {"driving_enabled": True}
DRIVING_OFF = {"driving_enabled": False}

_ALL = (
    Command("REQUEST_VEHICLE_STATE", refreshes=True),
    Command("ENABLE_DRIVING", DRIVING_ON),
    Command("DISABLE_DRIVING", DRIVING_OFF, refused_while_in_use=True),
    Command("UNLOCK_CENTRAL_LOCK", UNLOCKED),
    Command("LOCK_CENTRAL_LOCK", LOCKED, refused_while_in_use=True),
    Command("UNLOCK_AND_ENABLE_DRIVING", {**UNLOCKED, **DRIVING_ON}),
    Command("LOCK_AND_DISABLE_DRIVING", {**LOCKED, **DRIVING_OFF}, refused_while_in_use=True),
    # fleetbox models no top case, battery compartment or horn state: these change nothing it reports.
    Command("UNLOCK_TOP_CASE"),
    Command("LOCK_TOP_CASE"),
    Command("DRAW_ATTENTION"),
    Command("UNLOCK_BATTERY_COMPARTMENT"),
)
COMMANDS: Mapping[str, Command] = MappingProxyType({command.path_name: command for command in _ALL})
CAPABILITIES = frozenset(command.capability for command in _ALL)


def in_use(vehicle: Vehicle) -> bool:
    ignition = vehicle.state.get("ignition")
    return ignition is not None and ignition.value == "ON"


def check(vehicle: Vehicle, command: Command) -> None:
    """Raise the vendor's 409 if the vehicle cannot carry out `command` now."""
    if command.capability not in vehicle.commands:
        raise CommandNotSupported(f"The vehicle '{vehicle.id}' does not support the command {command.capability}.")
    if command.refused_while_in_use and in_use(vehicle):
        raise ConflictingState(
            f"The vehicle '{vehicle.id}' is in use (its ignition is on); {command.capability} is refused until it is "
            "switched off."
        )


def execute(vehicle: Vehicle, command: Command, now: datetime) -> list[str]:
    """Carry out a command that `check` allowed; the names of the properties recorded anew."""
    if command.refreshes:
        # Assigned anew: a vehicle's state answers copies of its entries (records.VehicleState).
        for name, entry in list(vehicle.state.items()):
            vehicle.state[name] = StateValue(entry.value, now)
        return list(vehicle.state)
    recorded = []
    for name, value in command.sets.items():
        if name in vehicle.state:
            vehicle.state[name] = StateValue(value, now)
            recorded.append(name)
    return recorded
