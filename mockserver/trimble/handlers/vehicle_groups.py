"""/vehiclegroups: batch create, rename, list, delete, and vehicle membership."""

from __future__ import annotations

from ..groups import group_name_of
from ..records import VEHICLES
from . import page, session


def list_vehicle_groups(token_info: dict, offset: int = 0, limit: int = 20, sortDirection: str = "ASC") -> dict:
    world, caller = session(token_info)
    items, total = world.list_groups(caller, offset, limit, sortDirection)
    return page(items, total, offset, limit)


def create_vehicle_groups(token_info: dict, body: list[dict]) -> dict:
    world, caller = session(token_info)
    return world.create_groups(caller, body)


def update_vehicle_group(token_info: dict, vehicleGroupId: int, body: dict) -> dict:
    world, caller = session(token_info)
    return world.rename_group(caller, vehicleGroupId, group_name_of(body))


def delete_vehicle_group(token_info: dict, vehicleGroupId: int) -> dict:
    world, caller = session(token_info)
    return world.delete_group(caller, vehicleGroupId)


def list_vehicle_group_vehicles(
    token_info: dict,
    vehicleGroupId: int,
    offset: int = 0,
    limit: int = 20,
    sortExpression: str = "vehicleName",
    sortDirection: str = "ASC",
) -> dict:
    world, caller = session(token_info)
    items, total = world.list_group_vehicles(caller, vehicleGroupId, offset, limit, sortExpression, sortDirection)
    return page(items, total, offset, limit)


def assign_vehicles_to_group(token_info: dict, vehicleGroupId: int, body: list[dict]) -> dict:
    world, caller = session(token_info)
    return world.assign_vehicles(caller, vehicleGroupId, [VEHICLES.external_id_of(item) for item in body])


def unassign_vehicle_from_group(token_info: dict, vehicleGroupId: int, vehicleId: str) -> dict:
    world, caller = session(token_info)
    return world.unassign_vehicle(caller, vehicleGroupId, vehicleId)
