"""An invers world survives its snapshot whole: vehicles travel as columns (positions, state times, master data
and units in their compact forms, any other vehicle whole), and a snapshot written before that still loads."""

from __future__ import annotations

import pickle
import pickletools
from datetime import UTC, datetime, timedelta

from fixtures import build_invers_world
from mockserver.engine.registry import SandboxRegistry
from mockserver.invers import PROFILE as INVERS
from mockserver.invers.records import MasterData, TelematicsUnit, Vehicle, VehicleState
from mockserver.invers.world import InversWorld


def _sandbox(size: int = 30):
    """A sandbox whose world holds every form a vehicle takes: generated, a command's own state times, a
    sharing started later, an extra master data field, a unit that is not the compact kind, a position of ints."""
    sandbox = SandboxRegistry({"invers": INVERS.worlds}).create("snap", seed=4, size=size)
    document = build_invers_world(4, size)
    odd = document["vehicles"][5]
    odd["telematics_unit"] = {**odd["telematics_unit"], "serial": "S-1"}
    document["vehicles"][6]["state"]["position"]["value"] = {"lat": 52, "lon": 13}
    sandbox.worlds["invers"] = INVERS.worlds.load(document, sandbox)
    world = sandbox.world("invers")
    clients = list(world._clients.values())
    owner = clients[0]
    partner = next(c for c in clients if c.fleet_id in world.partners[owner.fleet_id])
    mine = sorted(v.id for v in world.vehicles.values() if v.fleet_id == owner.fleet_id and v.sharing is None)
    car = next(v.id for v in world.vehicles.values() if v.fleet_id == owner.fleet_id and "central_lock" in v.state)
    assert "UNLOCK_CENTRAL_LOCK" in world.vehicles[car].commands
    world.send_command(owner, car, "request-vehicle-state", None)
    sandbox.clock.advance(60)
    world.send_command(owner, car, "unlock-central-lock", None)  # one value recorded later than the others
    later = world.sandbox.now() + timedelta(days=1)
    for vehicle_id in (mine[3], mine[1]):  # `shared` keeps the order sharings started in
        world.start_sharing(owner, vehicle_id, partner.fleet_id, later, None)
    world.update_vehicle(owner, mine[2], {"master_data": {"custom_name": "renamed"}}, None)
    world.vehicles[mine[2]].master_data["extra_field"] = {"a": 1}
    return sandbox


def test_a_snapshot_restores_every_vehicle_exactly():
    sandbox = _sandbox()
    world = sandbox.world("invers")
    before, vehicles, shared = world.export(), dict(world.vehicles), list(world.shared)
    assert any(type(v.state._times) is list for v in vehicles.values())
    assert any(type(v.telematics_unit) is not TelematicsUnit for v in vehicles.values())
    sandbox.restore(sandbox.snapshot())
    restored = sandbox.world("invers")
    assert restored is not world
    assert restored.export() == before
    assert restored.vehicles == vehicles and list(restored.vehicles) == list(vehicles)
    assert list(restored.shared) == shared
    assert all(restored.shared[key] is restored.vehicles[key] for key in shared)
    for key, vehicle in vehicles.items():
        again = restored.vehicles[key]
        assert type(again.master_data) is type(vehicle.master_data)
        assert type(again.state) is type(vehicle.state)
        assert [type(value) for value in again.state._values] == [type(value) for value in vehicle.state._values]
        assert again.state._times == vehicle.state._times
        assert again.created_at.tzinfo is vehicle.created_at.tzinfo


def test_vehicles_travel_as_columns_not_objects():
    sandbox = SandboxRegistry({"invers": INVERS.worlds}).create("snap", seed=4, size=200)
    held = sandbox.world("invers").__getstate__()
    packed = pickle.dumps(held["vehicles"])
    for name in (b"Vehicle", b"MasterData", b"VehicleState", b"TelematicsUnit", b"complex"):
        assert name not in packed
    # Objects built by calling something: the one shared vehicle's sharing and a few instants, not one per vehicle.
    built = [op for op, _, _ in pickletools.genops(packed) if op.name in ("REDUCE", "NEWOBJ", "NEWOBJ_EX", "BUILD")]
    assert len(built) < len(sandbox.world("invers").vehicles) // 10
    assert len(packed) < len(pickle.dumps(sandbox.world("invers").vehicles))


def test_a_snapshot_from_before_columns_still_loads():
    sandbox = _sandbox()
    world = sandbox.world("invers")
    # What the default pickling wrote: the vehicles and `shared` as dicts of objects.
    old = pickle.loads(pickle.dumps({**vars(world), "sandbox": None}))
    loaded = InversWorld.__new__(InversWorld)
    loaded.__setstate__(old)
    assert loaded.vehicles == world.vehicles and list(loaded.shared) == list(world.shared)
    assert all(type(v) is Vehicle for v in loaded.vehicles.values())


def test_compact_parts_restore_as_they_were_made():
    then = datetime(2024, 1, 1, tzinfo=UTC)
    state = VehicleState(["ignition", "position"], ["OFF", {"lat": 1.5, "lon": -0.0}], then)
    restored = VehicleState.restored(state._names, list(state._values), state._times)
    assert restored == state and restored["position"].value == {"lat": 1.5, "lon": -0.0}
    data = MasterData({"vin": "V", "custom_fields": {}})
    row = tuple(getattr(data, name, ...) for name in MasterData.FIELDS)
    assert MasterData.restored(row, None) == data == {"vin": "V", "custom_fields": {}}
