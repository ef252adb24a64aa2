"""Big worlds: listings read from indexes answer exactly what sorting every record would, through inserts,
deletes and renames, and a big world is as deterministic as a small one."""

from __future__ import annotations

import hashlib
import json
import pickle
import random
from datetime import timedelta

import pytest

from fixtures import build_hourfleet_world, build_invers_world, build_trimble_world
from fixtures.draws import FAKER_SIZES
from fixtures.naming import UniqueNames
from mockserver.engine import replica
from mockserver.engine.errors import DomainError
from mockserver.engine.registry import SandboxRegistry
from mockserver.hourfleet import PROFILE as HOURFLEET
from mockserver.hourfleet.records import OPS, USER, Caller
from mockserver.hourfleet.search import SearchQuery, search
from mockserver.hourfleet.views import CAR_SEARCH, car_view
from mockserver.invers import PROFILE as INVERS
from mockserver.invers.world import _matches
from mockserver.trimble import PROFILE as TRIMBLE
from mockserver.trimble import views
from mockserver.trimble.records import DRIVERS, VEHICLES
from mockserver.trimble.records import Caller as TrimbleCaller

BIG = FAKER_SIZES + 500


def _world(name: str, profile, size: int = BIG):
    return SandboxRegistry({name: profile.worlds}, max_size=size).create("big", seed=9, size=size).world(name)


@pytest.mark.parametrize(
    "build", [build_trimble_world, build_invers_world, build_hourfleet_world], ids=lambda b: b.__name__
)
def test_a_big_world_is_the_same_for_the_same_seed_and_another_for_another(build):
    size = FAKER_SIZES + 100
    first = build(4, size)
    assert first == build(4, size)
    assert first != build(5, size)


def _fingerprints_in_a_process(hash_seed: str) -> str:
    import os
    import subprocess
    import sys

    code = (
        "import hashlib, json; from fixtures import build_hourfleet_world, build_invers_world, build_trimble_world; "
        "print([hashlib.sha256(json.dumps(b(4, 2100), sort_keys=True).encode()).hexdigest() "
        "for b in (build_hourfleet_world, build_invers_world, build_trimble_world)])"
    )
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # where `fixtures` is
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=root)
    return done.stdout


def test_a_big_world_is_the_same_in_another_process():
    """Nothing a big world draws depends on the order of a set of strings (which each process hashes its own way)."""
    assert _fingerprints_in_a_process("1") == _fingerprints_in_a_process("2")


# Fingerprints of worlds generated before big worlds existed (commit 4d8afff): sizes up to FAKER_SIZES still
# call Faker exactly as they did, so the README's default sandbox and every test's world stay what they were.
# Change them only on purpose.
FINGERPRINTS = {
    (build_trimble_world, 1, 25): "422e86e4ac0aa9e1",
    (build_trimble_world, 99, 60): "5772472e6c02c5f8",
    (build_trimble_world, 5, 2000): "1533fafd05c151d9",
    (build_invers_world, 1, 25): "240286d2b414037c",
    (build_invers_world, 3, 200): "592042b2bd9fb9ea",
    (build_hourfleet_world, 1, 25): "82aa5eccee58e23d",
    (build_hourfleet_world, 3, 200): "6a42588108c23143",
}


@pytest.mark.parametrize("build,seed,size", list(FINGERPRINTS), ids=lambda v: getattr(v, "__name__", str(v)))
def test_worlds_up_to_the_old_bound_are_exactly_what_they_were(build, seed, size):
    document = json.dumps(build(seed, size), sort_keys=True).encode()
    assert hashlib.sha256(document).hexdigest()[:16] == FINGERPRINTS[(build, seed, size)]


def test_remembered_suffixes_give_the_names_walking_from_two_gives():
    rng = random.Random(8)
    fast, taken = UniqueNames(), set()
    for _ in range(3000):
        wanted = rng.choice(["Ann", "ann", "Bo", "Bo 3", "Cy 2", "Cy"])
        name, suffix = wanted, 2
        while name.casefold() in taken:
            name, suffix = f"{wanted} {suffix}", suffix + 1
        taken.add(name.casefold())
        assert fast.claim(wanted) == name


def test_a_big_trimble_world_has_its_size_and_unique_names():
    world = build_trimble_world(2, BIG)
    for fleet in world["fleets"]:
        assert len(fleet["vehicles"]) == BIG
        names = [v["Name"].casefold() for v in fleet["vehicles"]]
        assert len(set(names)) == len(names)


# --- trimble -----------------------------------------------------------------------------------


def _brute_trimble(world, caller, kind, sort, direction, offset, limit):
    fleet = world.fleet(caller)
    attribute = kind.sort_fields[sort]
    ordered = sorted(fleet.members[kind.noun].values(), key=lambda m: (getattr(m, attribute).casefold(), m.id))
    ordered = ordered[::-1] if direction == "DESC" else ordered
    page = ordered[offset : offset + limit]
    return [views.member_listed(kind, m, fleet.groups_of(m)) for m in page], len(ordered)


def _check_trimble_pages(world, caller, kind, rng):
    total = len(world.fleet(caller).members[kind.noun])
    for sort in kind.sort_fields:
        for direction in ("ASC", "DESC"):
            for offset, limit in ((0, 20), (rng.randrange(total), 50), (max(0, total - 7), 20), (total + 3, 5)):
                expected = _brute_trimble(world, caller, kind, sort, direction, offset, limit)
                assert world.list_members(caller, kind, offset, limit, sort, direction) == expected


@pytest.mark.parametrize("kind", [VEHICLES, DRIVERS], ids=lambda k: k.noun)
def test_trimble_pages_stay_sorted_through_creates_renames_and_deletes(kind):
    world = _world("trimble", TRIMBLE)
    rng = random.Random(3)
    # A direct account, and a customer of the partner cloud (whose scope spans three accounts).
    direct = next(a for a in world.accounts.values() if a.type == "direct")
    customer = next(a for a in world.accounts.values() if a.type == "customer")
    callers = [TrimbleCaller(direct.id, direct.id, False), TrimbleCaller(customer.id, customer.partner_id, True)]
    for caller in callers:
        _check_trimble_pages(world, caller, kind, rng)
        fleet = world.fleet(caller)
        for round_ in range(6):
            names = ["Zeta", "alpha", "Mid", "ALPHA", "~tilde", "0 first"]
            items = [
                {kind.id_keys[1]: f"big-{round_}-{n}", "Name": f"{rng.choice(names)} {rng.randrange(400)}"}
                for n in range(40)
            ]
            world.create_members(caller, kind, items)
            members = list(fleet.members[kind.noun].values())
            renames = [
                {kind.id_keys[1]: m.external_id, "Name": f"{rng.choice(names)} {rng.randrange(400)}"}
                for m in rng.sample(members, 40)
            ]
            world.rename_members(caller, kind, renames)
            for member in rng.sample(list(fleet.members[kind.noun].values()), 30):
                world.delete_member(caller, kind, member.external_id)
            _check_trimble_pages(world, caller, kind, rng)


# --- hourfleet ---------------------------------------------------------------------------------


def _check_car_searches(world, rng):
    rows = [car_view(car, frozenset()) for car in world.cars.values()]
    total = len(rows)
    for field in CAR_SEARCH.sortable:
        for sort in (field, f"-{field}"):
            for offset, limit in ((0, 0), (0, 25), (rng.randrange(total), 40), (max(0, total - 10), 25)):
                query = SearchQuery(sort=sort, limit=limit, offset=offset)
                expected_rows, expected_meta = search(rows, CAR_SEARCH, query)
                answer = world.search_cars(query, None)
                assert answer["Cars"] == expected_rows and answer["Metadata"] == expected_meta, (sort, offset, limit)


def test_hourfleet_car_searches_stay_sorted_through_creates_updates_locks_and_deletes():
    world = _world("hourfleet", HOURFLEET)
    rng = random.Random(5)
    operator = next(u for u in world.users.values() if u.role == OPS)
    caller = Caller("test", frozenset({USER, OPS}), operator.id)
    _check_car_searches(world, rng)
    for round_ in range(5):
        for n in range(30):
            body = {"Make": rng.choice(["Kia", "kia", "Audi"]), "Model": "X", "Year": rng.choice([2015, 2020])}
            body["LicensePlate"] = f"BIG-{round_}-{n}"
            if rng.random() < 0.5:  # the rest lack Color, Seats and price: they list last
                body.update(Color=rng.choice(["Red", "red", "Blue"]), Seats=rng.choice([4, 5]), PricePerHour=12.5)
            world.create_car(caller, body)
        for car in rng.sample(list(world.cars.values()), 30):
            change = rng.choice(
                [{"Color": "Green"}, {"Seats": 7}, {"PricePerHour": 9}, {"LicensePlate": f"UPD-{car.id[:8]}"}]
            )
            world.update_car(caller, car.id, change)
        for car in rng.sample(list(world.cars.values()), 10):
            world.set_lock(caller, car.id, rng.random() < 0.5)
        for car in rng.sample(list(world.cars.values()), 20):
            try:
                world.delete_car(caller, car.id)
            except DomainError:
                pass  # it has a booking that holds it
        _check_car_searches(world, rng)


def test_a_plate_taken_by_a_deleted_car_is_free_and_a_held_one_is_not():
    world = _world("hourfleet", HOURFLEET, size=30)
    operator = next(u for u in world.users.values() if u.role == OPS)
    caller = Caller("test", frozenset({USER, OPS}), operator.id)
    car = world.create_car(caller, {"Make": "Kia", "Model": "X", "Year": 2020, "LicensePlate": "FREE-1"})["Car"]
    with pytest.raises(DomainError):
        world.create_car(caller, {"Make": "Kia", "Model": "X", "Year": 2020, "LicensePlate": "free 1"})
    world.update_car(caller, car["Id"], {"LicensePlate": "FREE-2"})
    world.create_car(caller, {"Make": "Kia", "Model": "X", "Year": 2020, "LicensePlate": "FREE-1"})
    world.delete_car(caller, car["Id"])
    world.create_car(caller, {"Make": "Kia", "Model": "X", "Year": 2020, "LicensePlate": "FREE-2"})


# --- invers ------------------------------------------------------------------------------------


def _all_pages(world, client, limit, q):
    seen, token = [], None
    while True:
        answer = world.list_vehicles(client, limit, token, q)
        assert len(answer["items"]) <= limit
        seen.extend(item["id"] for item in answer["items"])
        token = answer["next_page_token"]
        if token is None:
            return seen


def test_invers_pages_merge_shared_vehicles_in_order_and_filter_lazily():
    world = _world("invers", INVERS)
    clients = list(world._clients.values())
    owner, partner = clients[0], next(c for c in clients if c.fleet_id in world.partners[clients[0].fleet_id])
    own = sorted(v.id for v in world.vehicles.values() if v.fleet_id == owner.fleet_id and v.sharing is None)
    later = world.sandbox.now() + timedelta(days=1)
    for vehicle_id in random.Random(2).sample(own, 25):
        world.start_sharing(owner, vehicle_id, partner.fleet_id, later, None)
    for client in (owner, partner):
        visible = sorted(
            v.id for v in world.vehicles.values() if v.fleet_id == client.fleet_id or v.shared_with(client.fleet_id)
        )
        for q in (None, "a", "zz9"):
            expected = [i for i in visible if not q or _matches(world.vehicles[i], q.casefold())]
            for limit in (1, 37, 1000):
                if limit == 1 and len(expected) > 200:
                    continue
                assert _all_pages(world, client, limit, q) == expected


# --- built straight from the generator ---------------------------------------------------------

PROFILES = {"trimble": TRIMBLE, "hourfleet": HOURFLEET, "invers": INVERS}


def _tables(world) -> dict:
    """What a world holds besides its sandbox: every table, compared by value (records are dataclasses)."""
    tables = {name: value for name, value in vars(world).items() if name != "sandbox"}
    if "car_order" in tables:  # hourfleet's index, built on the first search
        tables["car_order"] = pickle.dumps(tables["car_order"])
    return tables


@pytest.mark.parametrize("size", [25, FAKER_SIZES + 100], ids=["faker", "pooled"])
@pytest.mark.parametrize("name", sorted(PROFILES))
def test_a_world_built_without_its_document_is_the_world_its_document_loads(name, size):
    """`WorldFactory.build` skips the state document; what it builds is what loading the document gives,
    down to the order of every table, and the document exported again."""
    factory = PROFILES[name].worlds
    registry = SandboxRegistry({name: factory}, max_size=size)
    sandbox = registry.create("direct", seed=7, size=size)
    built, loaded = sandbox.world(name), factory.load(factory.generate(7, size), sandbox)
    assert built.export() == loaded.export()
    if name == "trimble":  # the same objects, shared alike: the pickles are equal
        assert replica.dumps(built, {"sandbox": sandbox}) == replica.dumps(loaded, {"sandbox": sandbox})
    else:  # a loaded document holds two copies of an id where a built world shares one
        assert _tables(built) == _tables(loaded)
    for table in ("users", "cars", "bookings", "fleets"):  # in the same order too
        assert list(getattr(built, table, {})) == list(getattr(loaded, table, {}))


# --- the lean INVERS vehicle -------------------------------------------------------------------


def test_an_invers_vehicles_compact_tables_behave_as_the_dicts_they_replace():
    from datetime import UTC, datetime

    from mockserver.invers.records import MasterData, StateValue, TelematicsUnit, VehicleState

    then, now = datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 2, 1, tzinfo=UTC)
    entries = {"ignition": StateValue("OFF", then), "position": StateValue({"lat": 52.5, "lon": 13.4}, then)}
    state = VehicleState.of(entries)
    assert state == entries and dict(state) == entries and list(state) == ["ignition", "position"]
    assert state.get("central_lock") is None and "ignition" in state and len(state) == 2
    state["ignition"] = StateValue("ON", now)  # one value recorded later: the others keep their time
    assert state == {"ignition": StateValue("ON", now), "position": entries["position"]}
    state["mileage_in_kilometers"] = StateValue(12, now)  # a name it lacked
    del state["position"]
    assert state == {"ignition": StateValue("ON", now), "mileage_in_kilometers": StateValue(12, now)}
    assert pickle.loads(pickle.dumps(state)) == state
    assert pickle.loads(pickle.dumps(VehicleState.of(entries)))["position"].value == {"lat": 52.5, "lon": 13.4}

    fields = {"vin": "V1", "custom_name": None, "custom_fields": {}}
    data = MasterData(fields)
    assert data == fields and list(data) == list(fields) and data.get("brand") is None and "brand" not in data
    data["extra"], data["brand"] = 1, "BMW"
    del data["custom_name"]
    assert data.copy() == {"vin": "V1", "brand": "BMW", "custom_fields": {}, "extra": 1}
    assert data == {"vin": "V1", "brand": "BMW", "custom_fields": {}, "extra": 1} == pickle.loads(pickle.dumps(data))
    with pytest.raises(KeyError):
        del data["model"]

    unit = TelematicsUnit.of({"id": "1", "brand": "INVERS", "model": "CloudBoxx"})
    assert isinstance(unit, TelematicsUnit) and dict(unit) == {"id": "1", "brand": "INVERS", "model": "CloudBoxx"}
    assert pickle.loads(pickle.dumps(unit)) == unit
    assert TelematicsUnit.of({"id": "1", "brand": "X", "model": "Y", "serial": "Z"})["serial"] == "Z"  # as a dict


# --- what a big world serves -------------------------------------------------------------------


def test_a_big_worlds_served_records_fit_the_vendor_specs():
    """Big INVERS and Hourfleet worlds are drawn a column at a time (fixtures/*_big.py): a sample of what their
    views show validates against the vendor's schema, as a small world's does."""
    from conformance.contract import load_spec
    from mockserver.hourfleet.views import booking_view, user_view
    from mockserver.invers.views import vehicle_view
    from tests.test_fixtures import resolver_for

    hourfleet, schema = _world("hourfleet", HOURFLEET), resolver_for(load_spec("hourfleet.yaml"))
    for car in list(hourfleet.cars.values())[::41]:
        schema("Car").validate(car_view(car))
    for booking in list(hourfleet.bookings.values())[::41]:
        schema("CarBooking").validate(booking_view(booking))
    for user in list(hourfleet.users.values())[::17]:
        schema("UserAccount").validate(user_view(user))
    invers, schema = _world("invers", INVERS), resolver_for(load_spec("invers.yaml"))
    for vehicle in list(invers.vehicles.values())[::37]:
        schema("Vehicle").validate(vehicle_view(vehicle, invers.fleets, vehicle.fleet_id))
