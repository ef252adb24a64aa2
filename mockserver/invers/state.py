"""Loading and exporting the invers world document (`InversState` in openapi/sandbox.yaml).

Loading checks what a schema cannot: unique ids, fleets that exist, sharings only between registered
partners, timestamps that are real instants. Any inconsistency raises `Unprocessable` before anything
is built, so an import is all or nothing.
"""

from __future__ import annotations

import functools
import itertools
import operator
from datetime import datetime

from fixtures.invers import parse_rfc3339, rfc3339
from mockserver.engine import replica
from mockserver.engine.errors import Unprocessable

from .records import UNSET, Fleet, MasterData, Sharing, StateValue, TelematicsUnit, Vehicle, VehicleState

# A vehicle's state values share one timestamp, and many vehicles share their capabilities: a big world holds
# each distinct one once (datetimes and tuples never change in place, so sharing them is safe).
_parsed = functools.lru_cache(maxsize=4096)(parse_rfc3339)


def _instant(text: str, where: str) -> datetime:
    try:
        return _parsed(text)
    except (ValueError, OverflowError) as error:
        raise Unprocessable(f"{where}: {text!r} is not a timestamp fleetbox can use.") from error


@functools.lru_cache(maxsize=1024)
def _shared(items: tuple[str, ...]) -> tuple[str, ...]:
    return items


def load_fleets(records: list[dict]) -> dict[str, Fleet]:
    fleets: dict[str, Fleet] = {}
    for record in records:
        if record["fleet_id"] in fleets:
            raise Unprocessable(f"Fleet {record['fleet_id']} appears twice.")
        fleets[record["fleet_id"]] = Fleet(record["fleet_id"], record["name"])
    return fleets


def load_partners(records: list[dict], fleets: dict[str, Fleet]) -> dict[str, frozenset[str]]:
    """Partnerships work both ways: each fleet of a pair may share with the other."""
    partners: dict[str, set[str]] = {fleet_id: set() for fleet_id in fleets}
    for record in records:
        first, second = record["fleet_ids"]
        if first == second or first not in fleets or second not in fleets:
            raise Unprocessable(f"Partnership {record['fleet_ids']} must join two different fleets of the state.")
        partners[first].add(second)
        partners[second].add(first)
    return {fleet_id: frozenset(ids) for fleet_id, ids in partners.items()}


def load_vehicle(record: dict, fleets: dict[str, Fleet], partners: dict[str, frozenset[str]]) -> Vehicle:
    where = f"vehicle {record['id']!r}"
    if record["fleet_id"] not in fleets:
        raise Unprocessable(f"{where} belongs to fleet {record['fleet_id']!r}, which the state lacks.")
    vehicle = Vehicle(
        id=record["id"],
        fleet_id=record["fleet_id"],
        created_at=_instant(record["created_at"], where),
        modified_at=_instant(record["modified_at"], where),
        master_data=MasterData(
            {**record["master_data"], "custom_fields": dict(record["master_data"]["custom_fields"])}
        ),
        telematics_unit=TelematicsUnit.of(record["telematics_unit"]),
        commands=_shared(tuple(record["capabilities"]["commands"])),
        state_capabilities=_shared(tuple(record["capabilities"]["vehicle_state"])),
        state=VehicleState.of(
            {
                name: StateValue(entry["value"], _instant(entry["timestamp"], f"{where}, state {name}"))
                for name, entry in record["state"].items()
            }
        ),
    )
    shared = record.get("sharing")
    if shared is not None:
        if shared["partner_fleet_id"] not in partners[vehicle.fleet_id]:
            raise Unprocessable(
                f"{where} is shared with {shared['partner_fleet_id']!r}, which is not a partner of its fleet."
            )
        starts_at = _instant(shared["starts_at"], f"{where}, sharing")
        ends_at = _instant(shared["ends_at"], f"{where}, sharing") if shared.get("ends_at") else None
        if ends_at is not None and ends_at <= starts_at:
            raise Unprocessable(f"{where}: its sharing ends before it starts.")
        vehicle.sharing = Sharing(shared["partner_fleet_id"], starts_at, ends_at)
    return vehicle


def load(document: dict) -> tuple[dict[str, Fleet], dict[str, frozenset[str]], dict[str, Vehicle]]:
    """A state document's fleets, partnerships and vehicles, or `Unprocessable` naming the first inconsistency."""
    fleets = load_fleets(document["fleets"])
    partners = load_partners(document["partnerships"], fleets)
    vehicles: dict[str, Vehicle] = {}
    for record in document["vehicles"]:
        if record["id"] in vehicles:
            raise Unprocessable(f"Vehicle {record['id']!r} appears twice.")
        vehicles[record["id"]] = load_vehicle(record, fleets, partners)
    return fleets, partners, vehicles


def export(fleets: dict[str, Fleet], partners: dict[str, frozenset[str]], vehicles: dict[str, Vehicle]) -> dict:
    """A world's fleets, partnerships and vehicles as a state document, which `load` reads back."""
    pairs = sorted({tuple(sorted((a, b))) for a, ids in partners.items() for b in ids})
    return {
        "fleets": [{"fleet_id": fleet.id, "name": fleet.name} for fleet in fleets.values()],
        "partnerships": [{"fleet_ids": list(pair)} for pair in pairs],
        "vehicles": [_vehicle_record(vehicle) for vehicle in vehicles.values()],
    }


def _vehicle_record(vehicle: Vehicle) -> dict:
    sharing = vehicle.sharing
    return {
        "id": vehicle.id,
        "fleet_id": vehicle.fleet_id,
        "created_at": rfc3339(vehicle.created_at),
        "modified_at": rfc3339(vehicle.modified_at),
        "master_data": {**vehicle.master_data, "custom_fields": dict(vehicle.master_data["custom_fields"])},
        "telematics_unit": dict(vehicle.telematics_unit),
        "capabilities": {"commands": list(vehicle.commands), "vehicle_state": list(vehicle.state_capabilities)},
        "state": {
            name: {"value": entry.value, "timestamp": rfc3339(entry.recorded_at)}
            for name, entry in vehicle.state.items()
        },
        "sharing": (
            {
                "partner_fleet_id": sharing.partner_id,
                "starts_at": rfc3339(sharing.starts_at),
                "ends_at": rfc3339(sharing.ends_at) if sharing.ends_at else None,
            }
            if sharing is not None
            else None
        ),
    }


# --- snapshots: the vehicles as columns ----------------------------------------------------------------


def pack_vehicles(vehicles: dict[str, Vehicle]) -> dict:
    """The vehicles as a few lists (`InversWorld.__getstate__`; `replica` says why). Vehicles whose parts are
    all in their compact form go as columns, any other whole."""
    compact: list[Vehicle] = []
    whole: dict[int, Vehicle] = {}
    for at, vehicle in enumerate(vehicles.values()):
        if (
            type(vehicle.master_data) is MasterData
            and type(vehicle.telematics_unit) is TelematicsUnit
            and type(vehicle.state) is VehicleState
        ):
            compact.append(vehicle)
        else:
            whole[at] = vehicle
    data = [vehicle.master_data for vehicle in compact]
    units = [vehicle.telematics_unit for vehicle in compact]
    states = [vehicle.state for vehicle in compact]
    values: list = []
    for state in states:
        values.extend(state._values)
    # Positions are complex numbers (records._packed), whose reducer costs microseconds: two floats instead.
    complexes = map(operator.is_, map(type, values), itertools.repeat(complex))
    positions = list(itertools.compress(itertools.count(), complexes))
    imaginary = [values[at].imag for at in positions]
    for at in positions:
        values[at] = values[at].real
    times = [state._times for state in states]
    return {
        "keys": list(vehicles),
        "whole": whole,
        "fields": replica.columns(compact, ("id", "fleet_id", "commands", "state_capabilities", "sharing")),
        "created_at": replica.instants([vehicle.created_at for vehicle in compact]),
        "modified_at": replica.instants([vehicle.modified_at for vehicle in compact]),
        "master_data": [_field(data, name) for name in MasterData.FIELDS],
        "master_extra": [d._extra for d in data],
        "units": replica.columns(units, TelematicsUnit.KEYS),
        "state_names": [state._names for state in states],
        "state_values": (values, positions, imaginary),
        # One instant for all of a vehicle's values, or (rarely, after a command) a list of them.
        "state_times": replica.instants([None if type(when) is list else when for when in times]),
        "state_time_lists": {at: when for at, when in enumerate(times) if type(when) is list},
    }


def _field(data: list[MasterData], name: str) -> list:
    """The master data's values of the field `name`, `UNSET` where it lacks one."""
    try:
        return list(map(operator.attrgetter(name), data))  # every vehicle has it, as generated ones do
    except AttributeError:
        return [getattr(d, name, UNSET) for d in data]


def unpack_vehicles(packed: dict) -> dict[str, Vehicle]:
    """The vehicles `pack_vehicles` packed, as they were."""
    values, positions, imaginary = packed["state_values"]
    for at, imag in zip(positions, imaginary, strict=True):
        values[at] = complex(values[at], imag)
    names = packed["state_names"]
    times = replica.instants_of(packed["state_times"])
    for at, when in packed["state_time_lists"].items():
        times[at] = when
    flat = iter(values)
    states = [
        VehicleState.restored(held, list(itertools.islice(flat, len(held))), when)
        for held, when in zip(names, times, strict=True)
    ]
    data = map(MasterData.restored, zip(*packed["master_data"], strict=True), packed["master_extra"])
    units = itertools.starmap(TelematicsUnit, zip(*packed["units"], strict=True))
    ids, fleet_ids, commands, capabilities, sharings = packed["fields"]
    created, modified = replica.instants_of(packed["created_at"]), replica.instants_of(packed["modified_at"])
    compact = iter(
        map(Vehicle, ids, fleet_ids, created, modified, data, units, commands, capabilities, states, sharings)
    )
    whole = packed["whole"]
    return {key: whole[at] if at in whole else next(compact) for at, key in enumerate(packed["keys"])}
