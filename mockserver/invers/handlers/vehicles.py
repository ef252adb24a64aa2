"""/vehicles: the fleet's list, one vehicle, and master-data changes."""

from __future__ import annotations

from . import JSON, flow_id, session


def list_vehicles(token_info: dict, limit: int = 20, page_token: str | None = None, q: str | None = None):
    world, client = session(token_info)
    return world.list_vehicles(client, limit, page_token, q), 200, JSON


def get_vehicle(token_info: dict, vehicle_id: str):
    world, client = session(token_info)
    return world.get_vehicle(client, vehicle_id), 200, JSON


def update_vehicle(token_info: dict, vehicle_id: str, body: dict):
    world, client = session(token_info)
    return world.update_vehicle(client, vehicle_id, body, flow_id()), 200, JSON
