"""fixtures/: the same seed gives the same world, and every record fits its schema in the spec."""

from __future__ import annotations

import jsonschema
import pytest
from connexion.json_schema import Draft4ResponseValidator

from conformance.contract import load_spec
from fixtures import build_hourfleet_world, build_invers_world, build_trimble_world
from fixtures.invers import parse_rfc3339, rfc3339
from fixtures.trimble import local_timestamp, parse_local_timestamp


def resolver_for(spec: dict):
    """A validator factory for `#/components/schemas/<name>` of `spec` (OpenAPI 3.0 is draft-4 like,
    plus `nullable`, which Connexion's response validator knows)."""

    def validator(name: str) -> jsonschema.Draft4Validator:
        schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
        return Draft4ResponseValidator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)

    return validator


@pytest.mark.parametrize("seed", [0, 1, 42, 2**31 - 1])
def test_the_same_seed_gives_the_same_world(seed):
    assert build_trimble_world(seed, 10) == build_trimble_world(seed, 10)


def test_different_seeds_give_different_worlds():
    assert build_trimble_world(1, 10) != build_trimble_world(2, 10)


@pytest.mark.parametrize("seed,size", [(1, 1), (7, 12), (99, 60)])
def test_every_record_validates_against_the_trimble_spec(seed, size):
    world = build_trimble_world(seed, size)
    schema = resolver_for(load_spec("trimble.yaml"))
    for account in world["accounts"]:
        schema("Account").validate({k: account[k] for k in ("AccountId", "AccountName")})
    for fleet in world["fleets"]:
        assert len(fleet["vehicles"]) == size
        for vehicle in fleet["vehicles"]:
            schema("Vehicle").validate(vehicle)
            schema("FleetIdentifier").validate(vehicle["VehicleId"])
            schema("FleetIdentifier").validate(vehicle["Name"])
        for driver in fleet["drivers"]:
            schema("Driver").validate(driver)
            schema("FleetIdentifier").validate(driver["Name"])
        for group in fleet["vehicleGroups"]:
            schema("VehicleGroup").validate(group)


def test_the_whole_world_validates_as_a_state_document():
    resolver_for(load_spec("sandbox.yaml"))("TrimbleState").validate(build_trimble_world(3, 20))


def test_every_world_has_a_direct_account_and_a_partner_with_customers():
    for seed in range(20):
        accounts = build_trimble_world(seed, 1)["accounts"]
        partners = [a for a in accounts if a["type"] == "partner"]
        assert any(a["type"] == "direct" for a in accounts) and partners
        assert any(a.get("partnerAccountId") == partners[0]["AccountId"] for a in accounts)


def test_names_are_unique_in_their_scope_case_insensitively():
    world = build_trimble_world(5, 40)
    direct = {a["AccountId"] for a in world["accounts"] if a["type"] == "direct"}
    for scope in (lambda f: f["accountId"] in direct, lambda f: f["accountId"] not in direct):
        fleets = [f for f in world["fleets"] if scope(f)]
        for key in ("VehicleId", "Name"):
            values = [v[key].casefold() for f in fleets for v in f["vehicles"]]
            assert len(values) == len(set(values))


@pytest.mark.parametrize("text", ["2019-03-28T21:02:19.03", "2019-03-28T21:02:19", "2020-05-27T20:36:06.647"])
def test_timestamps_round_trip_in_the_vendors_format(text):
    assert local_timestamp(parse_local_timestamp(text)) == text


# --- invers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2**31 - 1])
def test_the_same_seed_gives_the_same_invers_world(seed):
    assert build_invers_world(seed, 10) == build_invers_world(seed, 10)
    assert build_invers_world(seed, 10) != build_invers_world(seed + 1 if seed < 2**31 - 1 else 0, 10)


@pytest.mark.parametrize("seed,size", [(1, 1), (7, 12), (99, 60)])
def test_every_invers_record_fits_the_spec_and_the_state_schema(seed, size):
    world = build_invers_world(seed, size)
    resolver_for(load_spec("sandbox.yaml"))("InversState").validate(world)
    vehicle_schema = resolver_for(load_spec("invers.yaml"))
    for vehicle in world["vehicles"]:
        # The API shows a sharing by its fleets' references; the state names only the partner.
        vehicle_schema("Vehicle").validate({**vehicle, "sharing": None})
        assert {name.upper() for name in vehicle["state"]} == set(vehicle["capabilities"]["vehicle_state"])
    assert len(world["vehicles"]) == size * 4


def test_a_big_invers_worlds_records_fit_the_spec_too():
    """Drawn by `invers_big` (past FAKER_SIZES, a column at a time): every fleet's first vehicles and a sample."""
    world = build_invers_world(5, 2100)
    sample = [v for n, v in enumerate(world["vehicles"]) if n % 2100 < 4 or n % 97 == 0]
    resolver_for(load_spec("sandbox.yaml"))("InversState").validate({**world, "vehicles": sample})
    vehicle_schema = resolver_for(load_spec("invers.yaml"))
    for vehicle in sample:
        vehicle_schema("Vehicle").validate({**vehicle, "sharing": None})
        assert {name.upper() for name in vehicle["state"]} == set(vehicle["capabilities"]["vehicle_state"])
    assert len(world["vehicles"]) == 2100 * 4 and len({v["id"] for v in world["vehicles"]}) == 2100 * 4


def test_every_invers_world_has_partners_and_a_fleet_nobody_shares_with():
    for seed in range(20):
        world = build_invers_world(seed, 3)
        fleets = [f["fleet_id"] for f in world["fleets"]]
        pairs = {frozenset(p["fleet_ids"]) for p in world["partnerships"]}
        assert pairs == {frozenset(fleets[:2]), frozenset((fleets[0], fleets[2]))}
        assert all(fleets[3] not in pair for pair in pairs)
        shared = [v for v in world["vehicles"] if v["sharing"]]
        assert [(v["fleet_id"], v["sharing"]["partner_fleet_id"]) for v in shared] == [(fleets[0], fleets[1])]
        # Every fleet has an idle car and a car in use with every car command, and a moped.
        for fleet_id in fleets:
            first, second, third = [v for v in world["vehicles"] if v["fleet_id"] == fleet_id]
            assert first["state"]["ignition"]["value"] == "OFF" and second["state"]["ignition"]["value"] == "ON"
            assert (
                "LOCK_AND_DISABLE_DRIVING" in first["capabilities"]["commands"]
                and "LOCK_AND_DISABLE_DRIVING" in second["capabilities"]["commands"]
            )
            assert third["master_data"]["vehicle_type"] == "MOPED"


@pytest.mark.parametrize("text", ["2021-12-20T11:15:00.000Z", "2024-02-29T23:59:59.999Z"])
def test_invers_timestamps_round_trip(text):
    assert rfc3339(parse_rfc3339(text)) == text


def test_pooled_characters_come_from_their_alphabet_and_repeat_for_a_seed():
    from fixtures.draws import VIN_CHARACTERS, faker_for

    def draws(seed):
        fake = faker_for("de_DE", seed, 5000)
        return [fake.characters(VIN_CHARACTERS, 17) for _ in range(5000)] + [fake.license_plate() for _ in range(50)]

    first = draws(3)
    assert first == draws(3) and first != draws(4)
    vins = first[:5000]
    assert all(len(vin) == 17 and set(vin) <= set(VIN_CHARACTERS) for vin in vins)
    assert set("".join(vins)) == set(VIN_CHARACTERS)  # every character turns up
    assert len(set(vins)) == len(vins)


def test_a_big_invers_worlds_positions_are_rounded_as_a_small_ones():
    from fixtures.invers import CITIES, _near

    for city, (lat, lon) in enumerate(CITIES):
        lats, lons = _near(city)
        assert lats == [round(lat + (step - 500) / 10_000, 6) for step in range(1001)]
        assert lons == [round(lon + (step - 500) / 10_000, 6) for step in range(1001)]


def test_a_big_hourfleet_worlds_records_fit_the_state_schema():
    """Drawn by `hourfleet_big` (past FAKER_SIZES, a column at a time): a sample of each table; ids are UUIDs of
    version 4, and a car's verifications are one of each kind."""
    import uuid

    from fixtures.hourfleet import VERIFICATIONS

    world = build_hourfleet_world(5, 2100)
    sample = {table: world[table][:5] + world[table][5::89] for table in ("users", "cars", "bookings")}
    resolver_for(load_spec("sandbox.yaml"))("HourfleetState").validate({**world, **sample})
    ids = [record["Id"] for table in ("users", "cars", "bookings") for record in world[table]]
    ids += [check["Id"] for car in world["cars"] for check in car["Verifications"]]
    assert len(set(ids)) == len(ids)
    assert all(str(uuid.UUID(id_)) == id_ and uuid.UUID(id_).version == 4 for id_ in ids[::7])
    assert {uuid.UUID(id_).variant for id_ in ids} == {uuid.RFC_4122}
    assert all([check["Type"] for check in car["Verifications"]] == list(VERIFICATIONS) for car in world["cars"])
    assert len(world["cars"]) == 2100 and world["users"][0]["Role"] == "ops"


def test_column_draws_stay_in_their_ranges_and_repeat_for_a_seed():
    import random

    from fixtures import columns

    def draws(seed):
        rng = random.Random(seed)
        return (
            columns.chances(rng, 4000, 0.3),
            columns.picks(rng, 4000, "abc"),
            columns.integers(rng, 4000, -3, 9),
            columns.strings(rng, 500, "XYZ", 4),
        )

    chances, picks, integers, strings = draws(1)
    assert draws(1) == (chances, picks, integers, strings) and draws(2) != draws(1)
    assert set(chances) == {0, 1} and 0.25 < sum(chances) / len(chances) < 0.35
    assert set(picks) == set("abc") and set(integers) == set(range(-3, 10))
    assert all(len(text) == 4 and set(text) <= set("XYZ") for text in strings) and len(strings) == 500


def test_a_column_choice_takes_every_item_of_a_long_sequence_as_integers_would_pick_it():
    import random

    from fixtures import columns

    items = [f"item {n}" for n in range(1000)]  # longer than the 256 `picks` can choose among
    chosen = columns.choices(random.Random(7), 20_000, items)
    positions = columns.integers(random.Random(7), 20_000, 0, len(items) - 1)
    assert chosen == [items[at] for at in positions]
    assert set(chosen) == set(items)
