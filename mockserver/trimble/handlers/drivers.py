"""/drivers: the same batch rules as vehicles."""

from __future__ import annotations

from ..records import DRIVERS
from . import page, session


def list_drivers(
    token_info: dict, offset: int = 0, limit: int = 20, sortExpression: str = "driverName", sortDirection: str = "ASC"
) -> dict:
    world, caller = session(token_info)
    items, total = world.list_members(caller, DRIVERS, offset, limit, sortExpression, sortDirection)
    return page(items, total, offset, limit)


def create_drivers(token_info: dict, body: list[dict]) -> dict:
    world, caller = session(token_info)
    return world.create_members(caller, DRIVERS, body)


def update_drivers(token_info: dict, body: list[dict]) -> dict:
    world, caller = session(token_info)
    return world.rename_members(caller, DRIVERS, body)


def delete_driver(token_info: dict, driverId: str) -> dict:
    world, caller = session(token_info)
    return world.delete_member(caller, DRIVERS, driverId)
