"""POST /vehicles/{vehicle_id}/commands/{command}."""

from __future__ import annotations

from . import JSON, flow_id, session


def send_command(token_info: dict, vehicle_id: str, command: str):
    world, client = session(token_info)
    return world.send_command(client, vehicle_id, command, flow_id()), 200, JSON
