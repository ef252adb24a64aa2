"""Handlers of tinyfleet.yaml: function names are the snake_case operationIds; each makes one world call."""

from __future__ import annotations

from mockserver.engine.errors import InvalidInput
from mockserver.http.context import attribute_current_request, current_registry
from mockserver.http.request import current

from .world import NAME, TinyWorld

JSON = {"Content-Type": "application/json"}


def issue_token(body: dict):
    sandbox = current_registry().find_by_key(NAME, body["apiKey"])
    if sandbox is None:
        raise InvalidInput("The API key is not known.")
    attribute_current_request(sandbox)
    return sandbox.world(NAME).issue_token(body["apiKey"]), 200, JSON


def list_vehicles(token_info: dict, limit: int = 20):
    return _world(token_info).list_vehicles(limit), 200, JSON


def add_vehicle(token_info: dict, body: dict):
    vehicle = _world(token_info).add_vehicle(body["name"], body["plate"])
    return vehicle, 201, {**JSON, "Location": f"{current().base_url}/{vehicle['id']}"}


def get_vehicle(token_info: dict, vehicleId: int):
    return _world(token_info).get_vehicle(vehicleId), 200, JSON


def _world(token_info: dict) -> TinyWorld:
    return token_info["sandbox"].world(NAME)
