"""FleetShare: /sharing-partners and /vehicles/{vehicle_id}/sharing[/partner]."""

from __future__ import annotations

from connexion import NoContent

from . import JSON, flow_id, instant, session


def list_sharing_partners(token_info: dict):
    world, client = session(token_info)
    return world.sharing_partners(client), 200, JSON


def start_sharing(token_info: dict, vehicle_id: str, body: dict):
    world, client = session(token_info)
    ends_at = instant(body.get("ends_at"), "ends_at")
    return world.start_sharing(client, vehicle_id, body["fleet_id"], ends_at, flow_id()), 200, JSON


def change_sharing(token_info: dict, vehicle_id: str, body: dict):
    world, client = session(token_info)
    return world.change_sharing(client, vehicle_id, instant(body["ends_at"], "ends_at"), flow_id()), 200, JSON


def end_sharing(token_info: dict, vehicle_id: str):
    world, client = session(token_info)
    return world.end_sharing(client, vehicle_id, flow_id()), 200, JSON


def end_sharing_as_partner(token_info: dict, vehicle_id: str):
    world, client = session(token_info)
    world.end_sharing_as_partner(client, vehicle_id, flow_id())
    return NoContent, 204
