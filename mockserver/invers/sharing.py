"""FleetShare: starting, changing and ending a vehicle's sharing with a partner fleet (seed 000).

Only registered partners may receive a vehicle; a vehicle has at most one sharing at a time; its end
must lie in the future. There is no clock listener: `end_expired` runs at the start of every world
operation and ends each sharing whose `ends_at` has passed on the sandbox clock, dating the event at
the moment the sharing really ended.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from fixtures.invers import rfc3339
from mockserver.engine.clock import VirtualClock
from mockserver.engine.errors import FieldError, InvalidInput

from . import events
from .problems import ReferencedResourceNotFound, ResourceNotFound, SharedWithPartner
from .records import Sharing, Vehicle


class Announce(Protocol):
    """Publishes a sharing's VehicleChanged event (the world knows the fleets and the sandbox)."""

    def __call__(
        self,
        vehicle: Vehicle,
        sharing: Sharing,
        reason: str,
        flow_id: str | None,
        audience: tuple[str, ...] | None = None,
        occurred_at: datetime | None = None,
    ) -> None: ...


def check_end(ends_at: datetime | None, now: datetime) -> None:
    """A sharing's end, if it has one, lies in the future."""
    if ends_at is not None and ends_at <= now:
        message = f"must lie in the future (the time now is {rfc3339(now)})."
        raise InvalidInput(f"ends_at: {message}", (FieldError("ends_at", message),))


def check_partner(partners: Mapping[str, frozenset[str]], owner_id: str, partner_id: str) -> None:
    """Fleets that are not the owner's registered partners do not exist as far as the owner can tell."""
    if partner_id not in partners.get(owner_id, ()):
        message = f"'{partner_id}' is not one of this fleet's sharing partners (GET /sharing-partners lists them)."
        raise ReferencedResourceNotFound(f"fleet_id: {message}", (FieldError("fleet_id", message),))


def require_shared(vehicle: Vehicle) -> Sharing:
    if vehicle.sharing is None:
        raise ResourceNotFound(f"The vehicle '{vehicle.id}' is not shared.")
    return vehicle.sharing


def start(
    vehicle: Vehicle,
    partner_id: str,
    ends_at: datetime | None,
    flow_id: str | None,
    partners: Mapping[str, frozenset[str]],
    shared: dict[str, Vehicle],
    clock: VirtualClock,
    announce: Announce,
) -> None:
    """Share the owner's `vehicle` with `partner_id` from now on (the caller has been checked to own it)."""
    now = clock.now()
    check_partner(partners, vehicle.fleet_id, partner_id)
    check_end(ends_at, now)
    if vehicle.sharing is not None:
        raise SharedWithPartner(f"The vehicle '{vehicle.id}' is already shared with a partner; end that sharing first.")
    vehicle.sharing = Sharing(partner_id, now, ends_at)
    vehicle.modified_at = clock.tick()
    shared[vehicle.id] = vehicle
    announce(vehicle, vehicle.sharing, events.SHARING_STARTED, flow_id)


def change_end(
    vehicle: Vehicle, ends_at: datetime | None, flow_id: str | None, clock: VirtualClock, announce: Announce
) -> None:
    sharing = require_shared(vehicle)
    check_end(ends_at, clock.now())
    sharing.ends_at = ends_at
    vehicle.modified_at = clock.tick()
    announce(vehicle, sharing, events.SHARING_CHANGED, flow_id)


def end(
    vehicle: Vehicle,
    flow_id: str | None,
    shared: dict[str, Vehicle],
    clock: VirtualClock,
    announce: Announce,
    ended_at: datetime | None = None,
) -> None:
    """The vehicle goes back to its owner: now, or at `ended_at` for a sharing that ran out."""
    sharing = require_shared(vehicle)
    when = ended_at or clock.now()
    vehicle.sharing = None
    del shared[vehicle.id]
    vehicle.modified_at = max(vehicle.modified_at, when) if ended_at else clock.tick()
    ended = Sharing(sharing.partner_id, sharing.starts_at, when)
    # Both sides hear of it, the partner included, though it has just lost the vehicle.
    announce(vehicle, ended, events.SHARING_ENDED, flow_id, (vehicle.fleet_id, sharing.partner_id), ended_at)


def any_expired(shared: dict[str, Vehicle], now: datetime) -> bool:
    """Whether some sharing's `ends_at` has passed at `now`."""
    return any(v.sharing.ends_at is not None and v.sharing.ends_at <= now for v in shared.values())


def end_expired(shared: dict[str, Vehicle], clock: VirtualClock, announce: Announce) -> None:
    """End every sharing whose `ends_at` has passed on the sandbox clock."""
    if not shared:
        return
    now = clock.now()
    expired = [v for v in shared.values() if v.sharing.ends_at is not None and v.sharing.ends_at <= now]
    for vehicle in sorted(expired, key=lambda v: v.sharing.ends_at):
        end(vehicle, None, shared, clock, announce, ended_at=vehicle.sharing.ends_at)
