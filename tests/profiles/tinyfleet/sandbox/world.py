"""tinyfleet's world: one fleet, its API key and its vehicles; generated from a seed, exported and loaded."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from faker import Faker

from conformance.contract import contract_of
from mockserver.engine.errors import Conflict, InvalidInput, NotFound
from mockserver.engine.sandbox import Sandbox, atomic
from mockserver.engine.writes import write

from .. import SPEC

NAME = contract_of(SPEC).name
TOKEN_LIFETIME = timedelta(minutes=30)


def generate(seed: int, size: int) -> dict:
    """`size` vehicles with plates unique in the fleet: the same seed and size give the same fleet."""
    fake = Faker()
    fake.seed_instance(seed)
    plates = fake.unique
    return {
        "vehicles": [
            {"id": n, "name": fake.first_name(), "plate": plates.bothify("??-####").upper()} for n in range(1, size + 1)
        ]
    }


class TinyWorld:
    """The fleet of one sandbox; handlers call the methods below, each under the sandbox's lock."""

    def __init__(self, document: dict, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        # Derived from the sandbox id, so keys never collide between sandboxes built from one seed.
        self.api_key = hashlib.sha256(f"fleetbox/{sandbox.id}/{NAME}".encode()).hexdigest()[:24]
        self.vehicles = {vehicle["id"]: dict(vehicle) for vehicle in document["vehicles"]}

    def credentials(self) -> dict:
        return {"apiKey": self.api_key}

    def credential_keys(self) -> list[str]:
        return [self.api_key]

    def export(self) -> dict:
        return {"vehicles": [dict(vehicle) for vehicle in self.vehicles.values()]}

    @write
    def issue_token(self, api_key: str) -> dict:
        if api_key != self.api_key:
            raise InvalidInput("The API key is not known.")
        grant = self.sandbox.issue_token(NAME, "fleet", TOKEN_LIFETIME)
        return {"token": grant.token, "expiresAt": grant.expires_at.isoformat().replace("+00:00", "Z")}

    @atomic
    def list_vehicles(self, limit: int) -> dict:
        return {"vehicles": list(self.vehicles.values())[:limit]}

    @write
    def add_vehicle(self, name: str, plate: str) -> dict:
        if any(vehicle["plate"] == plate for vehicle in self.vehicles.values()):
            raise Conflict(f"The fleet already has a vehicle with plate {plate}.")
        vehicle = {"id": max(self.vehicles, default=0) + 1, "name": name, "plate": plate}
        self.vehicles[vehicle["id"]] = vehicle
        return dict(vehicle)

    @atomic
    def get_vehicle(self, vehicle_id: int) -> dict:
        if vehicle_id not in self.vehicles:
            raise NotFound(f"No vehicle {vehicle_id}.")
        return dict(self.vehicles[vehicle_id])
