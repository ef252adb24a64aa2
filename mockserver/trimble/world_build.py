"""Building a trimble world straight from its generator: the objects `state.load` would make of the generated
document, without the document (at 100,000 vehicles per account it would cost as much as the world)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from fixtures.quiet import generated_quietly
from fixtures.trimble import HISTORY_START, generate_trimble

from . import state
from .records import DRIVERS, VEHICLES, Account, Member, VehicleGroup
from .world import TrimbleWorld

if TYPE_CHECKING:
    from mockserver.engine.sandbox import Sandbox

    from .fleet import Fleet

START = HISTORY_START.replace(tzinfo=UTC)
KINDS = {"vehicle": VEHICLES, "driver": DRIVERS}


def build_world(seed: int, size: int, sandbox: Sandbox) -> TrimbleWorld:
    """The world `load_world(build_trimble_world(seed, size))` gives, built directly (tests/test_big_worlds.py)."""
    return generated_quietly(generate_trimble, seed, size, _WorldRecords(sandbox))


def _instant(offset_ms: int) -> datetime:
    # Microseconds as an int: timedelta(milliseconds=...) goes through floats and costs half as much again.
    return START + timedelta(0, 0, offset_ms * 1000)


class _WorldRecords:
    """The generator's records made into the world's objects (the methods of `fixtures.trimble.DocumentRecords`).

    What the generator draws is consistent by construction (ids and names unique in their scope), so none
    of the checks an imported document needs is made again.
    """

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.accounts: dict[int, Account] = {}
        self.fleets: dict[int, Fleet] = {}
        self._tables: dict[str, tuple[dict, dict, dict]] = {}

    def begin(self, accounts: list[dict]) -> None:
        # Through the module: the scopes' rule lives in `state` alone (the self-tests plant bugs there).
        self.accounts = state.load_accounts(accounts)
        self.fleets = state.build_fleets(self.accounts)

    def fleet(self, account: dict) -> Fleet:
        fleet = self.fleets[account["AccountId"]]
        # What `Fleet.add_member` fills, looked up once per fleet rather than once per member (no listing
        # order exists yet to keep).
        self._tables = {
            noun: (fleet.members[noun], fleet.scope.holders(kind, "external_id"), fleet.scope.holders(kind, "name"))
            for noun, kind in KINDS.items()
        }
        return fleet

    def member(self, fleet: Fleet, noun: str, system_id: int, external_id: str, name: str, folded: str, at: int):
        members, by_id, by_name = self._tables[noun]
        member = members[system_id] = Member(
            system_id, external_id, name, START + timedelta(0, 0, at * 1000), fleet.account.id
        )
        by_id[external_id.casefold()] = by_name[folded] = member
        return member

    def group(self, fleet: Fleet, group_id: int, name: str, at: int) -> VehicleGroup:
        group = fleet.groups[group_id] = VehicleGroup(group_id, name, _instant(at))
        fleet.group_names[name.casefold()] = group
        return group

    def assign(self, fleet: Fleet, group: VehicleGroup, vehicle: Member) -> None:
        group.vehicle_ids[vehicle.id] = None
        # A vehicle's groups are drawn without repeats, so `Fleet.link`'s check is not needed.
        fleet.groups_of_vehicle[vehicle.id] = (*fleet.groups_of_vehicle.get(vehicle.id, ()), group)

    def world(self, accounts: list[dict], fleets: list, sequences: dict[str, int]) -> TrimbleWorld:
        return TrimbleWorld(self.sandbox, self.accounts, self.fleets, dict(sequences))
