"""/vehicles: batch create and rename, list, delete."""

from __future__ import annotations

from ..records import VEHICLES
from . import page, session


def list_vehicles(
    token_info: dict, offset: int = 0, limit: int = 20, sortExpression: str = "vehicleName", sortDirection: str = "ASC"
) -> dict:
    world, caller = session(token_info)
    items, total = world.list_members(caller, VEHICLES, offset, limit, sortExpression, sortDirection)
    return page(items, total, offset, limit)


def create_vehicles(token_info: dict, body: list[dict]) -> dict:
    world, caller = session(token_info)
    return world.create_members(caller, VEHICLES, body)


def update_vehicles(token_info: dict, body: list[dict]) -> dict:
    world, caller = session(token_info)
    return world.rename_members(caller, VEHICLES, body)


def delete_vehicle(token_info: dict, vehicleId: str) -> dict:
    world, caller = session(token_info)
    return world.delete_member(caller, VEHICLES, vehicleId)
