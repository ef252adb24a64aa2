"""A trimble world survives its snapshot whole: fleets pickle their members as columns, and a snapshot written
before that (members as objects, the scope holding them) still loads."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta, timezone

from mockserver.engine.registry import SandboxRegistry
from mockserver.trimble import PROFILE as TRIMBLE
from mockserver.trimble.fleet import Fleet, Scope
from mockserver.trimble.records import DRIVERS, VEHICLES, Caller


def _sandbox():
    sandbox = SandboxRegistry({"trimble": TRIMBLE.worlds}).create("snap", seed=5, size=30)
    world = sandbox.world("trimble")
    direct = next(a for a in world.accounts.values() if a.type == "direct")
    caller = Caller(direct.id, direct.id, False)
    world.create_members(caller, VEHICLES, [{"vehicleId": f"new-{n}", "Name": f"new {n}"} for n in range(3)])
    # Instants of every kind a member can hold: aware in UTC, at another offset, naive, in a DST fold.
    fleet = world.fleets[direct.id]
    instants = [
        datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC),
        datetime(2026, 3, 1, 12, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2024, 1, 1, 8, 30),
        datetime(2025, 10, 26, 1, 30, fold=1),
    ]
    for member, instant in zip(fleet.members[VEHICLES.noun].values(), instants, strict=False):
        member.modified_on = instant
    return sandbox, fleet.account.id


def _members(fleet: Fleet) -> dict:
    return {
        noun: [
            (m.id, m.external_id, m.name, m.modified_on, m.modified_on.tzinfo, m.modified_on.fold, m.account_id)
            for m in held.values()
        ]
        for noun, held in fleet.members.items()
    }


def test_a_snapshot_restores_every_member_exactly_and_shared_once():
    sandbox, account_id = _sandbox()
    before = sandbox.world("trimble").export()
    members_before = _members(sandbox.world("trimble").fleets[account_id])
    sandbox.restore(sandbox.snapshot())
    world = sandbox.world("trimble")
    assert world.export() == before
    fleet = world.fleets[account_id]
    assert _members(fleet) == members_before
    for kind in (VEHICLES, DRIVERS):
        for member in fleet.members[kind.noun].values():
            # The scope and the fleet hold the same object: a rename through one is seen by the other.
            assert fleet.scope.holder_of_id(kind, member.external_id) is member
            assert fleet.scope.holder_of_name(kind, member.name) is member


def test_members_travel_as_columns_not_objects():
    sandbox, account_id = _sandbox()
    fleet = sandbox.world("trimble").fleets[account_id]
    state = fleet.__getstate__()
    assert all(isinstance(columns, tuple) for columns in state["members"].values())
    assert b"Member" not in pickle.dumps(state["members"])


def test_a_snapshot_from_before_columns_still_loads():
    sandbox, account_id = _sandbox()
    fleet = sandbox.world("trimble").fleets[account_id]
    # What the default pickling wrote: the scope with its tables, the fleet with Member objects.
    old_scope = Scope.__new__(Scope)
    old_scope.__setstate__(dict(vars(fleet.scope)))
    old_fleet = Fleet.__new__(Fleet)
    old_fleet.__setstate__({**vars(fleet), "scope": old_scope})
    assert _members(old_fleet) == _members(fleet)
    some = next(iter(old_fleet.members[VEHICLES.noun].values()))
    assert old_fleet.find(VEHICLES, some.external_id) is some


def test_a_snapshot_with_instants_as_reduce_arguments_still_loads():
    """Columns as the first columnar snapshots wrote them: each `modified_on` as its datetime's reduce arguments."""
    sandbox, account_id = _sandbox()
    fleet = sandbox.world("trimble").fleets[account_id]
    state = fleet.__getstate__()
    for noun, (ids, external_ids, names, _, account_ids) in state["members"].items():
        modified = [member.modified_on.__reduce_ex__(4)[1] for member in fleet.members[noun].values()]
        state["members"][noun] = (ids, external_ids, names, modified, account_ids)
    scope = Scope.__new__(Scope)
    scope.__setstate__(fleet.scope.__getstate__())  # an empty scope, as a snapshot's loader starts with
    old_fleet = Fleet.__new__(Fleet)
    old_fleet.__setstate__({**state, "scope": scope})
    assert _members(old_fleet) == _members(fleet)
