"""The invers profile's JSON shapes: snake_case, RFC 3339 timestamps with `Z`, each fleet's view of a sharing."""

from __future__ import annotations

from collections.abc import Mapping

from fixtures.invers import rfc3339

from .records import SHARED_OWN_VEHICLE, SHARED_PARTNER_VEHICLE, Fleet, Sharing, StateValue, Vehicle, VehicleState


def fleet_reference(fleet: Fleet) -> dict:
    return {"fleet_id": fleet.id, "name": fleet.name}


def sharing_view(owner: Fleet, sharing: Sharing, partner: Fleet, viewer_id: str) -> dict:
    """The sharing object, with the `status` of the side that looks at it."""
    return {
        "owner": fleet_reference(owner),
        "partner": fleet_reference(partner),
        "starts_at": rfc3339(sharing.starts_at),
        "ends_at": rfc3339(sharing.ends_at) if sharing.ends_at is not None else None,
        "status": SHARED_OWN_VEHICLE if viewer_id == owner.id else SHARED_PARTNER_VEHICLE,
    }


def state_view(state: Mapping[str, StateValue]) -> dict:
    if type(state) is VehicleState:  # read without a `StateValue` per entry
        view = {}
        # Entries recorded at once share one instant: written once, not looked up (hashed) per entry.
        last = text = None
        for name, value, when in state.recorded():
            if when is not last:
                last, text = when, rfc3339(when)
            view[name] = {"value": value, "timestamp": text}
        return view
    return {name: {"value": entry.value, "timestamp": rfc3339(entry.recorded_at)} for name, entry in state.items()}


def master_data_view(vehicle: Vehicle) -> dict:
    # `copy`: a dict (a snapshot from before records.MasterData) or a MasterData, read at once.
    data = vehicle.master_data.copy()
    data["custom_fields"] = dict(data["custom_fields"])
    return data


def vehicle_view(vehicle: Vehicle, fleets: Mapping[str, Fleet], viewer_id: str) -> dict:
    """A vehicle as the fleet `viewer_id` (its owner or the partner it is shared with) sees it."""
    sharing = vehicle.sharing
    return {
        "id": vehicle.id,
        "fleet_id": vehicle.fleet_id,
        "created_at": rfc3339(vehicle.created_at),
        "modified_at": rfc3339(vehicle.modified_at),
        "master_data": master_data_view(vehicle),
        "telematics_unit": vehicle.telematics_unit.copy(),
        "capabilities": {"commands": list(vehicle.commands), "vehicle_state": list(vehicle.state_capabilities)},
        "state": state_view(vehicle.state),
        "sharing": (
            sharing_view(fleets[vehicle.fleet_id], sharing, fleets[sharing.partner_id], viewer_id)
            if sharing is not None
            else None
        ),
    }
