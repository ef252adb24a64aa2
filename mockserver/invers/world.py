"""InversWorld: the invers profile inside one sandbox. Each public method is one atomic operation."""

from __future__ import annotations

import bisect
import functools
import hashlib
import heapq
import hmac
import itertools
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from mockserver.engine.errors import Unauthenticated
from mockserver.engine.sandbox import atomic
from mockserver.engine.writes import write

from . import access, commands, events, master_data, paging, sharing, state, views
from .records import Client, Fleet, Sharing, Vehicle

if TYPE_CHECKING:
    from mockserver.engine.sandbox import Sandbox

from .contract import NAME

TOKEN_LIFETIME = timedelta(seconds=900)


def client_id_for(sandbox_id: str, fleet_id: str) -> str:
    """A fleet's API client id, in the shape of the vendor's example (`EXFL29#cl1`); stable per sandbox id."""
    return f"{fleet_id}#cl-{_digest(sandbox_id, fleet_id, 'client')[:10]}"


def client_secret_for(sandbox_id: str, fleet_id: str) -> str:
    return _digest(sandbox_id, fleet_id, "secret")[:32]


def _digest(sandbox_id: str, fleet_id: str, what: str) -> str:
    return hashlib.sha256(f"fleetbox/{sandbox_id}/invers/{fleet_id}/{what}".encode()).hexdigest()


def operation(method: Callable) -> Callable:
    """A world write that first ends the sharings whose time has run out (no clock listener needed)."""

    @functools.wraps(method)
    def run(self: InversWorld, *args, **kwargs):
        sharing.end_expired(self.shared, self.sandbox.clock, self._announce_sharing)
        return method(self, *args, **kwargs)

    return write(run)


def reading(method: Callable) -> Callable:
    """A world read; sharings whose time has run out are ended first (a write of its own, only then)."""

    @atomic
    @functools.wraps(method)
    def run(self: InversWorld, *args, **kwargs):
        if sharing.any_expired(self.shared, self.sandbox.clock.now()):
            self.end_expired_sharings()
        return method(self, *args, **kwargs)

    return run


def load_world(document: dict, sandbox: Sandbox) -> InversWorld:
    """Build a world from a state document, or raise `Unprocessable` naming the first inconsistency."""
    return InversWorld(sandbox, *state.load(document))


class InversWorld:
    """Fleets, their partnerships and vehicles; handlers call the methods below, nothing else."""

    def __init__(
        self,
        sandbox: Sandbox,
        fleets: dict[str, Fleet],
        partners: dict[str, frozenset[str]],
        vehicles: dict[str, Vehicle],
    ):
        self.sandbox = sandbox
        self.fleets = fleets
        self.partners = partners
        self.vehicles = vehicles
        # The vehicles shared right now: few, and looked at by every operation (expiry, partners' lists).
        self.shared = {v.id: v for v in vehicles.values() if v.sharing is not None}
        # Vehicles are neither added nor removed through the API, so each fleet's ordered ids are fixed.
        own: dict[str, list[str]] = {fleet_id: [] for fleet_id in fleets}
        for vehicle in vehicles.values():  # one pass, not one per fleet
            own[vehicle.fleet_id].append(vehicle.id)
        self._own_ids = {fleet_id: sorted(ids) for fleet_id, ids in own.items()}
        self._clients = {
            client_id_for(sandbox.id, fleet_id): Client(client_id_for(sandbox.id, fleet_id), fleet_id)
            for fleet_id in fleets
        }

    def __getstate__(self) -> dict:
        # The vehicles as columns, not an object per vehicle, its master data, unit and state: a snapshot of
        # 100,000 vehicles per fleet took half a minute. `shared` goes as the ids it holds, in its order.
        held = dict(self.__dict__)
        held["vehicles"] = state.pack_vehicles(self.vehicles)
        held["shared"] = list(self.shared)
        return held

    def __setstate__(self, held: dict) -> None:
        self.__dict__.update(held)
        if isinstance(held["shared"], list):  # else a snapshot from before columns: objects, as they were
            self.vehicles = state.unpack_vehicles(held["vehicles"])
            self.shared = {vehicle_id: self.vehicles[vehicle_id] for vehicle_id in held["shared"]}

    # --- what the engine asks of every world -------------------------------------------------

    def credential_keys(self) -> list[str]:
        return list(self._clients)

    @reading
    def credentials(self) -> list[dict]:
        credentials = [
            {
                "client_id": client.client_id,
                "client_secret": client_secret_for(self.sandbox.id, client.fleet_id),
                "fleet_id": client.fleet_id,
                "name": self.fleets[client.fleet_id].name,
            }
            for client in self._clients.values()
        ]
        # With `fleetbox serve --amqp`, each fleet's event consumer too (invers/amqp.py).
        bus = self.sandbox.event_buses.get(NAME)
        for credential in credentials if bus else ():
            credential["event_consumer"] = bus.consumer(credential["fleet_id"])
        return credentials

    @reading
    def export(self) -> dict:
        return state.export(self.fleets, self.partners, self.vehicles)

    # --- authentication ----------------------------------------------------------------------

    @operation
    def issue_token(self, client_id: str, client_secret: str) -> dict:
        client = self._clients.get(client_id)
        expected = client_secret_for(self.sandbox.id, client.fleet_id) if client else ""
        if client is None or not hmac.compare_digest(expected.encode(), client_secret.encode()):
            raise Unauthenticated("The client id or the client secret is not valid.", Unauthenticated.INVALID)
        grant = self.sandbox.issue_token(NAME, client, TOKEN_LIFETIME, principal=client.client_id)
        return {"access_token": grant.token, "token_type": "bearer", "expires_in": int(TOKEN_LIFETIME.total_seconds())}

    # --- vehicles ----------------------------------------------------------------------------

    @reading
    def list_vehicles(self, client: Client, limit: int, page_token: str | None, q: str | None) -> dict:
        fleet_id = client.fleet_id
        chosen, next_token = self._page(fleet_id, limit, page_token, q)
        return {
            "items": [views.vehicle_view(self.vehicles[vehicle_id], self.fleets, fleet_id) for vehicle_id in chosen],
            "next_page_token": next_token,
        }

    def _page(self, fleet_id: str, limit: int, page_token: str | None, q: str | None) -> tuple[list[str], str | None]:
        """`paging.page` over the fleet's own ids merged with those shared with it (filtered by `q`), without
        sorting or copying the fleet: only what the page needs is read, plus one id to know there is more."""
        after = paging.decode(page_token) if page_token else None
        own = self._own_ids[fleet_id]
        start = bisect.bisect_right(own, after) if after is not None else 0
        shared_in = sorted(v.id for v in self.shared.values() if v.sharing.partner_id == fleet_id)
        shared_in = shared_in[bisect.bisect_right(shared_in, after) :] if after is not None else shared_in
        ids: Iterator[str] = heapq.merge((own[at] for at in range(start, len(own))), shared_in)
        if q:
            needle = q.casefold()
            ids = (vehicle_id for vehicle_id in ids if _matches(self.vehicles[vehicle_id], needle))
        taken = list(itertools.islice(ids, limit + 1))
        chosen = taken[:limit]
        return chosen, (paging.encode(chosen[-1]) if len(taken) > limit and chosen else None)

    @reading
    def get_vehicle(self, client: Client, vehicle_id: str) -> dict:
        vehicle = access.visible(self.vehicles, vehicle_id, client.fleet_id)
        return views.vehicle_view(vehicle, self.fleets, client.fleet_id)

    @operation
    def update_vehicle(self, client: Client, vehicle_id: str, update: dict, flow_id: str | None) -> dict:
        vehicle = access.visible(self.vehicles, vehicle_id, client.fleet_id)
        access.require_owner(vehicle, client.fleet_id, "change its master data")
        if master_data.apply_update(vehicle, update.get("master_data", {})):
            vehicle.modified_at = self.sandbox.clock.tick()
            changed = {
                "vehicle_id": vehicle.id,
                "fleet_id": vehicle.fleet_id,
                "reasons": [events.MASTER_DATA_CHANGED],
                "master_data": views.master_data_view(vehicle),
            }
            self._publish(events.VEHICLE_CHANGED, vehicle.audience(), changed, flow_id)
        return views.vehicle_view(vehicle, self.fleets, client.fleet_id)

    # --- commands ----------------------------------------------------------------------------

    @operation
    def send_command(self, client: Client, vehicle_id: str, command_name: str, flow_id: str | None) -> dict:
        vehicle = access.visible(self.vehicles, vehicle_id, client.fleet_id)
        access.require_commandable(vehicle, client.fleet_id)
        command = commands.COMMANDS[command_name]
        commands.check(vehicle, command)
        recorded = commands.execute(vehicle, command, self.sandbox.now())
        audience = vehicle.audience()
        executed = {
            "vehicle_id": vehicle.id,
            "fleet_id": vehicle.fleet_id,
            "command": command.capability,
            "sent_by_fleet_id": client.fleet_id,
        }
        self._publish(events.VEHICLE_COMMAND_EXECUTED, audience, executed, flow_id)
        if recorded:
            new_state = views.state_view(vehicle.state)
            recorded_state = {
                "vehicle_id": vehicle.id,
                "fleet_id": vehicle.fleet_id,
                "properties": recorded,
                "state": new_state,
            }
            self._publish(events.VEHICLE_STATE_RECORDED, audience, recorded_state, flow_id)
        return views.state_view(vehicle.state)

    # --- FleetShare --------------------------------------------------------------------------

    @reading
    def sharing_partners(self, client: Client) -> dict:
        partners = sorted(self.partners.get(client.fleet_id, ()), key=lambda fleet_id: self.fleets[fleet_id].name)
        return {"items": [views.fleet_reference(self.fleets[fleet_id]) for fleet_id in partners]}

    @operation
    def start_sharing(
        self, client: Client, vehicle_id: str, partner_id: str, ends_at: datetime | None, flow_id: str | None
    ) -> dict:
        vehicle = access.visible(self.vehicles, vehicle_id, client.fleet_id)
        access.require_owner(vehicle, client.fleet_id, "share it")
        sharing.start(
            vehicle,
            partner_id,
            ends_at,
            flow_id,
            self.partners,
            self.shared,
            self.sandbox.clock,
            self._announce_sharing,
        )
        return views.vehicle_view(vehicle, self.fleets, client.fleet_id)

    @operation
    def change_sharing(self, client: Client, vehicle_id: str, ends_at: datetime | None, flow_id: str | None) -> dict:
        vehicle = access.visible(self.vehicles, vehicle_id, client.fleet_id)
        access.require_owner(vehicle, client.fleet_id, "change its sharing")
        sharing.change_end(vehicle, ends_at, flow_id, self.sandbox.clock, self._announce_sharing)
        return views.vehicle_view(vehicle, self.fleets, client.fleet_id)

    @operation
    def end_sharing(self, client: Client, vehicle_id: str, flow_id: str | None) -> dict:
        vehicle = access.visible(self.vehicles, vehicle_id, client.fleet_id)
        access.require_owner(
            vehicle,
            client.fleet_id,
            "end its sharing here (partners use DELETE /vehicles/{vehicle_id}/sharing/partner)",
        )
        sharing.end(vehicle, flow_id, self.shared, self.sandbox.clock, self._announce_sharing)
        return views.vehicle_view(vehicle, self.fleets, client.fleet_id)

    @operation
    def end_sharing_as_partner(self, client: Client, vehicle_id: str, flow_id: str | None) -> None:
        vehicle = access.visible(self.vehicles, vehicle_id, client.fleet_id)
        access.require_partner(vehicle, client.fleet_id)
        sharing.end(vehicle, flow_id, self.shared, self.sandbox.clock, self._announce_sharing)

    # --- events ------------------------------------------------------------------------------

    @write
    def end_expired_sharings(self) -> None:
        sharing.end_expired(self.shared, self.sandbox.clock, self._announce_sharing)

    def _publish(
        self,
        type_: str,
        audience: tuple[str, ...],
        payload: dict | Callable[[str], dict],
        flow_id: str | None,
        occurred_at: datetime | None = None,
    ) -> None:
        self.sandbox.publish(NAME, type_, audience, payload, flow_id, occurred_at)

    def _announce_sharing(
        self,
        vehicle: Vehicle,
        sharing_: Sharing,
        reason: str,
        flow_id: str | None,
        audience: tuple[str, ...] | None = None,
        occurred_at: datetime | None = None,
    ) -> None:
        """A sharing's VehicleChanged event, each fleet of its audience seeing the sharing from its side."""
        owner, partner = self.fleets[vehicle.fleet_id], self.fleets[sharing_.partner_id]
        payload = events.sharing_changed(owner, partner, vehicle, sharing_, reason)
        self._publish(events.VEHICLE_CHANGED, audience or vehicle.audience(), payload, flow_id, occurred_at)


def _matches(vehicle: Vehicle, needle: str) -> bool:
    data = vehicle.master_data
    haystack = (vehicle.id, data.get("license_plate"), data.get("vin"), data.get("custom_name"))
    return any(needle in text.casefold() for text in haystack if text)
