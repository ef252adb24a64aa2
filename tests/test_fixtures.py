"""fixtures/: the same seed gives the same world, and every record fits its schema in the spec."""

from __future__ import annotations

import jsonschema
import pytest

from conformance.contract import load_spec
from fixtures import build_trimble_world
from fixtures.trimble import local_timestamp, parse_local_timestamp


def resolver_for(spec: dict):
    """A validator factory for `#/components/schemas/<name>` of `spec` (OpenAPI 3.0 is draft-4 like)."""

    def validator(name: str) -> jsonschema.Draft4Validator:
        schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
        return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)

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
