"""An hourfleet world survives its snapshot whole: users, cars (with their verifications) and bookings (with their
dates) travel as columns, and a snapshot written before that still loads."""

from __future__ import annotations

import pickle
import pickletools
from datetime import UTC, datetime, timedelta, timezone

from mockserver.engine.registry import SandboxRegistry
from mockserver.hourfleet import PROFILE as HOURFLEET
from mockserver.hourfleet.records import OPS, USER, Caller
from mockserver.hourfleet.search import SearchQuery
from mockserver.hourfleet.world import HourfleetWorld


def _sandbox(size: int = 30):
    sandbox = SandboxRegistry({"hourfleet": HOURFLEET.worlds}).create("snap", seed=6, size=size)
    world = sandbox.world("hourfleet")
    operator = next(u for u in world.users.values() if u.role == OPS)
    caller = Caller("test", frozenset({USER, OPS}), operator.id)
    world.search_cars(SearchQuery(sort="Make", limit=5), None)  # an index, kept through the snapshot
    created = world.create_car(caller, {"Make": "Kia", "Model": "Niro", "Year": 2022, "LicensePlate": "SNAP-1"})
    world.update_car(caller, next(iter(world.cars)), {"LicensePlate": "SNAP-2", "Color": None})
    world.set_lock(caller, created["Car"]["Id"], False)
    world.delete_car(caller, created["Car"]["Id"])
    # Instants of other kinds than a generated world's: another offset, naive, a fold, none at all.
    car = next(iter(world.cars.values()))
    car.verifications[0].verified = None
    car.verifications[1].verified = datetime(2026, 3, 1, 12, tzinfo=timezone(timedelta(hours=-5)))
    booking = next(iter(world.bookings.values()))
    booking.dates = {"ApprovedDateUtc": datetime(2025, 10, 26, 1, 30, fold=1), **booking.dates}
    return sandbox


def _records(world) -> dict:
    """Every record's fields, and each instant's zone and fold (equal aware instants need not be the same)."""

    def instants(value):
        if isinstance(value, datetime):
            return (value, value.tzinfo, value.fold)
        if isinstance(value, dict):
            return {key: instants(item) for key, item in value.items()}
        if isinstance(value, list):
            return [instants(item) for item in value]
        if hasattr(value, "__slots__"):
            return tuple(instants(getattr(value, name)) for name in value.__slots__)
        return value

    return {
        name: {key: instants(r) for key, r in getattr(world, name).items()} for name in ("users", "cars", "bookings")
    }


def test_a_snapshot_restores_every_record_exactly():
    sandbox = _sandbox()
    world = sandbox.world("hourfleet")
    before, records, plates = world.export(), _records(world), dict(world.plates)
    order = pickle.dumps(world.car_order)
    sandbox.restore(sandbox.snapshot())
    restored = sandbox.world("hourfleet")
    assert restored is not world
    assert restored.export() == before
    assert _records(restored) == records
    for name in ("users", "cars", "bookings"):
        assert list(getattr(restored, name)) == list(getattr(world, name))
    assert restored.plates == plates
    assert pickle.dumps(restored.car_order) == order
    assert restored.search_cars(SearchQuery(sort="Make", limit=50), None) == world.search_cars(
        SearchQuery(sort="Make", limit=50), None
    )


def test_records_travel_as_columns_not_objects():
    sandbox = SandboxRegistry({"hourfleet": HOURFLEET.worlds}).create("snap", seed=6, size=300)
    world = sandbox.world("hourfleet")
    held = world.__getstate__()
    packed = pickle.dumps(held["tables"])
    for name in (b"mockserver.hourfleet.records", b"Verification"):  # no record class pickled
        assert name not in packed
    built = [op for op, _, _ in pickletools.genops(packed) if op.name in ("REDUCE", "NEWOBJ", "NEWOBJ_EX", "BUILD")]
    assert len(built) < 10
    tables = {name: getattr(world, name) for name in ("users", "cars", "bookings")}
    assert len(packed) < len(pickle.dumps(tables))


def test_a_snapshot_from_before_columns_still_loads():
    sandbox = _sandbox()
    world = sandbox.world("hourfleet")
    # What the default pickling wrote: the world's attributes, the tables as dicts of records.
    old = pickle.loads(pickle.dumps({**vars(world), "sandbox": None}))
    loaded = HourfleetWorld.__new__(HourfleetWorld)
    loaded.__setstate__(old)
    assert _records(loaded) == _records(world) and loaded.plates == world.plates


def test_one_instant_of_another_zone_keeps_a_column_exact():
    from mockserver.engine import replica

    utc = datetime(2024, 1, 1, 12, tzinfo=UTC)
    column = [utc, None, utc.astimezone(timezone(timedelta(hours=2))), datetime(2024, 1, 1), utc]
    for items in (column, column[:2] + column[4:], [utc + timedelta(seconds=n) for n in range(3000)]):
        back = replica.instants_of(pickle.loads(pickle.dumps(replica.instants(items))))
        assert [(w, getattr(w, "tzinfo", 0)) for w in back] == [(w, getattr(w, "tzinfo", 0)) for w in items]
