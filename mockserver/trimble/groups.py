"""Vehicle groups of one account: batch creation (at most 2,000 per account), rename, delete, membership."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mockserver.engine.errors import Conflict, InvalidInput, NotFound

from . import views
from .fleet import Fleet
from .records import GROUP_NAME_KEYS, VEHICLES, Member, VehicleGroup

MAX_GROUPS_PER_ACCOUNT = 2000
ALL_ADDED = "Successfully added all vehicle groups to the account."
DUPLICATES_SKIPPED = "The request finished without adding duplicate vehicle groups."


def group_name_of(item: dict) -> str:
    return next(item[key] for key in GROUP_NAME_KEYS if key in item)


def get_group(fleet: Fleet, group_id: int) -> VehicleGroup:
    group = fleet.groups.get(group_id)
    if group is None:
        raise NotFound(f"No vehicle group found with Id: {group_id}")
    return group


def create_groups(fleet: Fleet, items: list[dict], tick: Callable[[], datetime], next_id: Callable[[], int]) -> dict:
    """Add the groups whose names are new to the account; the rest are skipped, not an error."""
    fresh: dict[str, str] = {}
    for item in items:
        name = group_name_of(item)
        if name.casefold() not in fleet.group_names:
            fresh.setdefault(name.casefold(), name)
    if len(fleet.groups) + len(fresh) > MAX_GROUPS_PER_ACCOUNT:
        raise InvalidInput(
            f"An account can hold at most {MAX_GROUPS_PER_ACCOUNT} vehicle groups; it holds "
            f"{len(fleet.groups)} and this request adds {len(fresh)}."
        )
    added = []
    for name in fresh.values():
        group = VehicleGroup(next_id(), name, tick())
        fleet.groups[group.id] = group
        fleet.group_names[name.casefold()] = group
        added.append(views.group_view(group))
    message = ALL_ADDED if len(fresh) == len(items) else DUPLICATES_SKIPPED
    return {"message": message, "data": added}


def rename_group(fleet: Fleet, group_id: int, name: str, tick: Callable[[], datetime]) -> dict:
    group = get_group(fleet, group_id)
    holder = fleet.group_names.get(name.casefold())
    if holder is not None and holder is not group:
        raise Conflict(f"A vehicle group named '{name}' already exists in the account.")
    del fleet.group_names[group.name.casefold()]
    group.name = name
    group.modified_on = tick()
    fleet.group_names[name.casefold()] = group
    return {"message": "Successfully updated vehicle group.", "data": True}


def delete_group(fleet: Fleet, group_id: int) -> dict:
    group = get_group(fleet, group_id)
    for vehicle_id in group.vehicle_ids:
        fleet.unlink(vehicle_id, group)
    del fleet.groups[group.id]
    del fleet.group_names[group.name.casefold()]
    return {"message": f"Successfully deleted vehicle group with Id: {group_id}"}


def join(fleet: Fleet, group: VehicleGroup, vehicle: Member) -> None:
    """Put a vehicle in a group (again, harmlessly, if it already is)."""
    group.vehicle_ids[vehicle.id] = None
    fleet.link(vehicle.id, group)


def assign_vehicles(fleet: Fleet, group_id: int, vehicle_ids: list[str], tick: Callable[[], datetime]) -> dict:
    """Assign the vehicles of the account; report the ids it does not hold (code -11)."""
    group = get_group(fleet, group_id)
    assigned: dict[int, Member] = {}
    not_found: list[str] = []
    for external_id in vehicle_ids:
        vehicle = fleet.find(VEHICLES, external_id)
        if vehicle is None:
            not_found.append(external_id)
            continue
        join(fleet, group, vehicle)
        assigned[vehicle.id] = vehicle
    if assigned:
        group.modified_on = tick()
    data = [views.member_listed(VEHICLES, vehicle, fleet.groups_of(vehicle)) for vehicle in assigned.values()]
    if not not_found:
        return {"message": "Successfully assigned all vehicles to the vehicle group.", "data": data}
    message = "The request finished without assigning non-existent vehicleIds"
    return {
        "message": message,
        "error": views.batch_error(-11, message, [], not_found),
        "data": data,
    }


def unassign_vehicle(fleet: Fleet, group_id: int, external_id: str, tick: Callable[[], datetime]) -> dict:
    group = get_group(fleet, group_id)
    vehicle = fleet.find(VEHICLES, external_id)
    if vehicle is None:
        raise NotFound(f"No vehicle found with Id: {external_id}")
    if vehicle.id not in group.vehicle_ids:
        raise NotFound(f"Vehicle with Id: {external_id} is not assigned to vehicle group with Id: {group_id}")
    del group.vehicle_ids[vehicle.id]
    fleet.unlink(vehicle.id, group)
    group.modified_on = tick()
    return {"message": f"Successfully unassigned vehicle with Id: {external_id} from vehicle group with Id: {group_id}"}
