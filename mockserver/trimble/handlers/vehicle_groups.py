"""/vehiclegroups: batch create, rename, list, delete, and vehicle membership."""

from __future__ import annotations

from ..groups import group_name_of
from ..records import VEHICLES
from . import page, session


def list_vehicle_groups(token_info: dict, offset: int = 0, limit: int = 20, sort_direction: str = "ASC") -> dict:
    world, caller = session(token_info)
    items, total = world.list_groups(caller, offset, limit, sort_direction)
    return page(items, total, offset, limit)


def create_vehicle_groups(token_info: dict, body: list[dict]) -> dict:
    world, caller = session(token_info)
    return world.create_groups(caller, body)


def update_vehicle_group(token_info: dict, vehicle_group_id: int, body: dict) -> dict:
    world, caller = session(token_info)
    return world.rename_group(caller, vehicle_group_id, group_name_of(body))


def delete_vehicle_group(token_info: dict, vehicle_group_id: int) -> dict:
    world, caller = session(token_info)
    return world.delete_group(caller, vehicle_group_id)


def list_vehicle_group_vehicles(token_info: dict, vehicle_group_id: int, offset: int = 0, limit: int = 20, sort_expression: str = "vehicleName", sort_direction: str = "ASC") -> dict:
    world, caller = session(token_info)
    items, total = world.list_group_vehicles(caller, vehicle_group_id, offset, limit, sort_expression, sort_direction)
    return page(items, total, offset, limit)


def assign_vehicles_to_group(token_info: dict, vehicle_group_id: int, body: list[dict]) -> dict:
    world, caller = session(token_info)
    return world.assign_vehicles(caller, vehicle_group_id, [VEHICLES.external_id_of(item) for item in body])


def unassign_vehicle_from_group(token_info: dict, vehicle_group_id: int, vehicle_id: str) -> dict:
    world, caller = session(token_info)
    return world.unassign_vehicle(caller, vehicle_group_id, vehicle_id)
