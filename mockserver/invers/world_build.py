"""Building an invers world straight from its generator: the objects `state.load` would make of the generated
document, without the document (at 100,000 vehicles per fleet it would cost as much as the world)."""

from __future__ import annotations

from datetime import datetime
from itertools import repeat
from typing import TYPE_CHECKING

from fixtures.invers import UNIT_BRAND, UNIT_MODEL, generate_invers
from fixtures.quiet import generated_quietly

from .records import Fleet, MasterData, Sharing, TelematicsUnit, Vehicle, VehicleState
from .world import InversWorld

if TYPE_CHECKING:
    from fixtures.invers_big import VehicleColumns
    from mockserver.engine.sandbox import Sandbox


def build_world(seed: int, size: int, sandbox: Sandbox) -> InversWorld:
    """The world `load_world(build_invers_world(seed, size))` gives, built directly (tests/test_big_worlds.py)."""
    return generated_quietly(generate_invers, seed, size, _WorldRecords(sandbox))


class _WorldRecords:
    """The generator's records made into the world's objects (the methods of `fixtures.invers.DocumentRecords`).

    What the generator draws is consistent by construction (unique ids, a sharing only between partners), so
    none of the checks an imported document needs is made again.
    """

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        # Custom fields are replaced as a whole, never changed in place (master_data.py), so vehicles with the
        # same ones share one table: 40% of a big world's vehicles have one of 900 cost centres.
        self._custom_fields: dict[tuple, dict] = {}

    def fleet(self, fleet_id: str, name: str) -> Fleet:
        return Fleet(fleet_id, name)

    def vehicle(self, id_, fleet_id, created, modified, master_data, unit_id, commands, states, values, seen):
        unit = TelematicsUnit(unit_id, UNIT_BRAND, UNIT_MODEL)
        custom = master_data["custom_fields"]
        if custom:
            master_data["custom_fields"] = self._custom_fields.setdefault(tuple(custom.items()), custom)
        state = VehicleState(values, values.values(), seen)
        return Vehicle(id_, fleet_id, created, modified, MasterData(master_data), unit, commands, states, state)

    def vehicles(self, fleet_id: str, columns: VehicleColumns) -> list[Vehicle]:
        """A big world's fleet of vehicles, made column by column (C-level maps, no dict per vehicle)."""
        data = map(MasterData.of_every_field, *columns.master_data)
        units = map(TelematicsUnit, columns.unit_ids, repeat(UNIT_BRAND), repeat(UNIT_MODEL))
        states = map(VehicleState.restored, columns.state_names, columns.state_values, columns.seen)
        made = map(
            Vehicle, columns.ids, repeat(fleet_id), columns.created, columns.modified, data, units, columns.commands,
            columns.state_capabilities, states,
        )  # fmt: skip
        return list(made)

    def share(self, vehicle: Vehicle, partner_fleet_id: str, starts_at: datetime) -> None:
        vehicle.sharing = Sharing(partner_fleet_id, starts_at, None)

    def world(self, fleets: list[Fleet], partnerships: list[tuple[str, str]], vehicles: list) -> InversWorld:
        partners: dict[str, set[str]] = {fleet.id: set() for fleet in fleets}
        for first, second in partnerships:
            partners[first].add(second)
            partners[second].add(first)
        return InversWorld(
            self.sandbox,
            {fleet.id: fleet for fleet in fleets},
            {fleet_id: frozenset(ids) for fleet_id, ids in partners.items()},
            {vehicle.id: vehicle for vehicle in vehicles},
        )
