"""Who may see and do what with a vehicle (FleetShare, seed 000).

A fleet sees its own vehicles and those currently shared with it. The owner keeps reading and editing
its shared vehicle but may not command it; the partner may read and command it and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping

from .problems import MissingPermissions, ResourceNotFound, SharedWithPartner
from .records import Vehicle


def visible(vehicles: Mapping[str, Vehicle], vehicle_id: str, fleet_id: str) -> Vehicle:
    """The vehicle if `fleet_id` owns it or has it shared; 404 otherwise (no hint that it exists)."""
    vehicle = vehicles.get(vehicle_id)
    if vehicle is None or (vehicle.fleet_id != fleet_id and not vehicle.shared_with(fleet_id)):
        raise ResourceNotFound(f"No vehicle with id '{vehicle_id}' in this fleet.")
    return vehicle


def require_owner(vehicle: Vehicle, fleet_id: str, action: str) -> None:
    """Only the owner changes a vehicle or its sharing; a partner gets 403 naming what it tried."""
    if vehicle.fleet_id != fleet_id:
        raise MissingPermissions(
            f"The vehicle '{vehicle.id}' is shared with this fleet, which may only read it and send commands; it may "
            f"not {action}."
        )


def require_commandable(vehicle: Vehicle, fleet_id: str) -> None:
    """The owner may not command a vehicle while it is shared (the partner may)."""
    if vehicle.fleet_id == fleet_id and vehicle.sharing is not None:
        raise SharedWithPartner(
            f"Unable to execute commands while the vehicle '{vehicle.id}' is shared with a partner."
        )


def require_partner(vehicle: Vehicle, fleet_id: str) -> None:
    """Only the partner gives a vehicle back; the owner ends a sharing through its own endpoint."""
    if vehicle.fleet_id != fleet_id:
        return
    if vehicle.sharing is None:
        raise ResourceNotFound(f"The vehicle '{vehicle.id}' is not shared.")
    raise MissingPermissions(
        f"This fleet owns the vehicle '{vehicle.id}'; owners end a sharing with DELETE /vehicles/{vehicle.id}/sharing."
    )
