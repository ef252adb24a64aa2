"""Fleets, their uniqueness scopes, and the batch rules for vehicles and drivers (seed 001).

A direct account is its own scope; a partner's account and its customers' accounts share one
(the "partner cloud"). Ids and names are unique within a scope and compared case-insensitively.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from mockserver.engine import replica
from mockserver.engine.errors import InvalidInput, NotFound
from mockserver.engine.ordered import SortedKeys

from . import views
from .records import DRIVERS, VEHICLES, Account, Member, MemberKind, VehicleGroup

# fleetbox's guard against unbounded growth (twice the biggest generated fleet); the vendor documents none.
MAX_MEMBERS_PER_ACCOUNT = 200_000
KINDS = {kind.noun: kind for kind in (VEHICLES, DRIVERS)}


class Scope:
    """Where ids and names must be unique: one direct account, or a whole partner cloud.

    Keyed per kind by the casefolded id or name; the same folded strings are the keys of each fleet's
    listing order (`Fleet.ordered`), so a member costs one copy of each.
    """

    def __init__(self, partner_cloud: bool) -> None:
        self.partner_cloud = partner_cloud
        self._by_id: dict[str, dict[str, Member]] = {}
        self._by_name: dict[str, dict[str, Member]] = {}

    def __getstate__(self) -> bool:
        # The members come back with their fleets (`Fleet.__setstate__`), so a snapshot holds each once.
        return self.partner_cloud

    def __setstate__(self, state: bool | dict) -> None:
        if isinstance(state, dict):  # a snapshot written before fleets pickled their members as columns
            self.__dict__.update(state)
        else:
            self.__init__(state)

    def holder_of_id(self, kind: MemberKind, external_id: str) -> Member | None:
        held = self._by_id.get(kind.noun)
        return held.get(external_id.casefold()) if held else None

    def holder_of_name(self, kind: MemberKind, name: str) -> Member | None:
        held = self._by_name.get(kind.noun)
        return held.get(name.casefold()) if held else None

    def holders(self, kind: MemberKind, attribute: str) -> dict[str, Member]:
        """Folded value -> member, for `external_id` or `name`."""
        table = self._by_id if attribute == "external_id" else self._by_name
        return table.setdefault(kind.noun, {})

    def add(self, kind: MemberKind, member: Member, folded: tuple[str, str] | None = None) -> tuple[str, str]:
        """Hold the member's id and name (`folded` if the caller has folded them already); answers both folded."""
        folded = folded or (member.external_id.casefold(), member.name.casefold())
        self._by_id.setdefault(kind.noun, {})[folded[0]] = member
        self._by_name.setdefault(kind.noun, {})[folded[1]] = member
        return folded

    def taken(self, kind: MemberKind, folded: tuple[str, str]) -> bool:
        """Whether a member of `kind` holds the folded id or the folded name already."""
        return folded[0] in self._by_id.get(kind.noun, ()) or folded[1] in self._by_name.get(kind.noun, ())

    def remove(self, kind: MemberKind, member: Member) -> tuple[str, str]:
        folded = member.external_id.casefold(), member.name.casefold()
        del self._by_id[kind.noun][folded[0]]
        del self._by_name[kind.noun][folded[1]]
        return folded

    def rename(self, kind: MemberKind, member: Member, name: str) -> tuple[str, str]:
        """Give the member `name`; answers its old and new names folded."""
        old, new = member.name.casefold(), name.casefold()
        del self._by_name[kind.noun][old]
        member.name = name
        self._by_name[kind.noun][new] = member
        return old, new


@dataclass
class Fleet:
    """One account's vehicles, drivers and vehicle groups."""

    account: Account
    scope: Scope
    members: dict[str, dict[int, Member]] = field(default_factory=lambda: {VEHICLES.noun: {}, DRIVERS.noun: {}})
    groups: dict[int, VehicleGroup] = field(default_factory=dict)
    group_names: dict[str, VehicleGroup] = field(default_factory=dict)
    # vehicle system id -> the groups it is in, in the order it joined them (the reverse of
    # VehicleGroup.vehicle_ids); a tuple, as most vehicles are in one group and a big fleet has 100,000
    groups_of_vehicle: dict[int, tuple[VehicleGroup, ...]] = field(default_factory=dict)
    # (kind noun, member attribute) -> this account's folded values of it, in order. Built on the first
    # listing, then kept by every write; it is pickled with the fleet, and replayed writes keep it alike.
    order: dict[tuple[str, str], SortedKeys] = field(default_factory=dict)

    def __getstate__(self) -> dict:
        # Columns, not a Member (and a datetime) per member: pickling an object costs microseconds, a list
        # item next to nothing, and a snapshot of a big fleet otherwise stalls the server for a second.
        state = dict(self.__dict__)
        state["members"] = {
            noun: (
                [member.id for member in held.values()],
                [member.external_id for member in held.values()],
                [member.name for member in held.values()],
                replica.instants([member.modified_on for member in held.values()]),
                [member.account_id for member in held.values()],
            )
            for noun, held in self.members.items()
        }
        return state

    def __setstate__(self, state: dict) -> None:
        columns = state["members"]
        self.__dict__.update(state, members={})
        for noun, held in columns.items():
            if isinstance(held, dict):  # a snapshot written before members were columns: the scope has them
                self.members[noun] = held
                continue
            kind, members = KINDS[noun], self.members.setdefault(noun, {})
            ids, external_ids, names, modified, account_ids = held
            # A list: each datetime's reduce arguments, as snapshots held them before `replica.instants`.
            modified = [datetime(*it) for it in modified] if type(modified) is list else replica.instants_of(modified)
            for system_id, external_id, name, modified_on, account_id in zip(
                ids, external_ids, names, modified, account_ids, strict=True
            ):
                member = Member(system_id, external_id, name, modified_on, account_id)
                self.scope.add(kind, member)  # not `add_member`: the listing order came with the snapshot
                members[system_id] = member

    def find(self, kind: MemberKind, external_id: str) -> Member | None:
        """A member of this account by its external id (one elsewhere in the cloud does not count)."""
        member = self.scope.holder_of_id(kind, external_id)
        return member if member is not None and member.account_id == self.account.id else None

    def groups_of(self, member: Member) -> list[VehicleGroup]:
        return list(self.groups_of_vehicle.get(member.id, ()))

    def link(self, vehicle_id: int, group: VehicleGroup) -> None:
        """Note that the vehicle is in `group` (once, however often it joins)."""
        held = self.groups_of_vehicle.get(vehicle_id, ())
        if all(other.id != group.id for other in held):
            self.groups_of_vehicle[vehicle_id] = (*held, group)

    def unlink(self, vehicle_id: int, group: VehicleGroup) -> None:
        kept = tuple(other for other in self.groups_of_vehicle.get(vehicle_id, ()) if other.id != group.id)
        if kept:
            self.groups_of_vehicle[vehicle_id] = kept
        else:
            self.groups_of_vehicle.pop(vehicle_id, None)

    def ordered(self, kind: MemberKind, attribute: str) -> SortedKeys:
        """This account's members of `kind` by `attribute` (`external_id` or `name`), casefolded and sorted."""
        keys = self.order.get((kind.noun, attribute))
        if keys is None:
            mine = self.account.id
            held = self.scope.holders(kind, attribute).items()
            keys = self.order[(kind.noun, attribute)] = SortedKeys(f for f, m in held if m.account_id == mine)
        return keys

    def add_member(self, kind: MemberKind, member: Member, folded: tuple[str, str] | None = None) -> None:
        folded = self.scope.add(kind, member, folded)
        self.members[kind.noun][member.id] = member
        if self.order:  # none yet while a world loads: the first listing builds it
            self._reorder(kind, None, folded)

    def remove_member(self, kind: MemberKind, member: Member) -> None:
        self._reorder(kind, self.scope.remove(kind, member), None)
        del self.members[kind.noun][member.id]

    def rename_member(self, kind: MemberKind, member: Member, name: str) -> None:
        old, new = self.scope.rename(kind, member, name)
        keys = self.order.get((kind.noun, "name"))
        if keys is not None:
            keys.remove(old)
            keys.add(new)

    def _reorder(self, kind: MemberKind, old: tuple[str, str] | None, new: tuple[str, str] | None) -> None:
        for at, attribute in enumerate(("external_id", "name")):
            keys = self.order.get((kind.noun, attribute))
            if keys is not None:
                if old is not None:
                    keys.remove(old[at])
                if new is not None:
                    keys.add(new[at])


@dataclass
class BatchOutcome:
    """What a batch did (`data`, already in the vendor's shape) and what it refused to do."""

    data: list[dict] = field(default_factory=list)
    duplicate_ids: list[str] = field(default_factory=list)
    ids_not_found: list[str] = field(default_factory=list)


def create_members(
    fleet: Fleet,
    kind: MemberKind,
    items: list[dict],
    tick: Callable[[], datetime],
    next_id: Callable[[], int],
) -> dict:
    """Add what is new; report every item whose id or name the scope already holds."""
    if len(fleet.members[kind.noun]) + len(items) > MAX_MEMBERS_PER_ACCOUNT:
        raise InvalidInput(f"A fleetbox account holds at most {MAX_MEMBERS_PER_ACCOUNT} {kind.plural}.")
    outcome = BatchOutcome()
    for item in items:
        external_id, name = kind.external_id_of(item), kind.name_of(item)
        # Both seed cases (same id and name, same id and another name) and a taken name end here.
        if fleet.scope.holder_of_id(kind, external_id) or fleet.scope.holder_of_name(kind, name):
            outcome.duplicate_ids.append(external_id)
            continue
        member = Member(next_id(), external_id, name, tick(), fleet.account.id)
        fleet.add_member(kind, member)
        outcome.data.append(views.member_written(kind, member))
    if not outcome.duplicate_ids:
        return {"data": outcome.data}
    suffix = " for the Partner" if fleet.scope.partner_cloud else ""
    message = f"The request finished without adding duplicate {kind.noun}Ids{suffix}"
    return {"error": views.batch_error(-12, message, outcome.duplicate_ids, []), "data": outcome.data}


def rename_members(fleet: Fleet, kind: MemberKind, items: list[dict], tick: Callable[[], datetime]) -> dict:
    """Rename by external id; report ids not in the account and names another member holds."""
    outcome = BatchOutcome()
    for item in items:
        external_id, name = kind.external_id_of(item), kind.name_of(item)
        member = fleet.find(kind, external_id)
        if member is None:
            outcome.ids_not_found.append(external_id)
            continue
        holder = fleet.scope.holder_of_name(kind, name)
        if holder is not None and holder is not member:
            outcome.duplicate_ids.append(external_id)
            continue
        fleet.rename_member(kind, member, name)
        member.modified_on = tick()
        outcome.data.append(views.member_written(kind, member))
    if not (outcome.ids_not_found or outcome.duplicate_ids):
        return {"data": outcome.data}
    reasons = []
    if outcome.ids_not_found:
        reasons.append(f"non-existent {kind.noun}Ids")
    if outcome.duplicate_ids:
        reasons.append(f"{kind.plural} whose new names already exist")
    message = f"The request finished without updating {' or '.join(reasons)}"
    code = -11 if outcome.ids_not_found else -12
    error = views.batch_error(code, message, outcome.duplicate_ids, outcome.ids_not_found)
    return {"error": error, "data": outcome.data}


def delete_member(fleet: Fleet, kind: MemberKind, external_id: str) -> Member:
    """Remove a member (and, for a vehicle, its group memberships)."""
    member = fleet.find(kind, external_id)
    if member is None:
        raise NotFound(f"No {kind.noun} found with Id: {external_id}")
    fleet.remove_member(kind, member)
    for group in fleet.groups_of_vehicle.pop(member.id, ()):
        del group.vehicle_ids[member.id]
    return member


def page_members(
    fleet: Fleet, kind: MemberKind, sort_expression: str, direction: str, offset: int, limit: int
) -> tuple[list[Member], int]:
    """One page of the account's members in `sorted_members` order, read from the fleet's index, and the total.

    Folded ids and names are unique in a scope, so the folded value alone orders them (no tie to break).
    """
    attribute = kind.sort_fields[sort_expression]
    keys = fleet.ordered(kind, attribute)
    holders = fleet.scope.holders(kind, attribute)
    return [holders[key] for key in keys.page(offset, limit, direction == "DESC")], len(keys)


def sorted_members(members: list[Member], kind: MemberKind, sort_expression: str, direction: str) -> list[Member]:
    """Case-insensitive order on the chosen field, ties broken by system id."""
    attribute = kind.sort_fields[sort_expression]
    ordered = sorted(members, key=lambda member: (getattr(member, attribute).casefold(), member.id))
    return ordered[::-1] if direction == "DESC" else ordered
