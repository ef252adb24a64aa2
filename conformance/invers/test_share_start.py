"""FleetShare: sharing partners and starting a sharing (seed 000, "Start Sharing")."""

from __future__ import annotations

from .. import expect
from ..rules import rule
from .problems import expect_field_named, expect_problem

AREA = "FleetShare: starting"


@rule(
    "INVERS-SHARE-01",
    "GET /sharing-partners lists partner fleets with fleet_id and name, and partnerships hold both ways",
    AREA,
)
def test_partners_are_listed_both_ways(owner, partner):
    listed = expect.json_of(owner.http.get("/sharing-partners")).get("items", [])
    mine = {item.get("fleet_id"): item for item in listed}
    expect.true(partner.fleet_id in mine, f"fleet {partner.fleet_id} among the owner's sharing partners")
    expect.true(bool(mine[partner.fleet_id].get("name")), "a name for every partner")
    theirs = {item.get("fleet_id") for item in expect.json_of(partner.http.get("/sharing-partners")).get("items", [])}
    expect.true(owner.fleet_id in theirs, f"fleet {owner.fleet_id} among the partner's sharing partners too")


@rule(
    "INVERS-SHARE-02",
    "POST /vehicles/{id}/sharing answers 200 with the vehicle and its sharing: owner, partner, starts_at, ends_at and "
    "status SHARED_OWN_VEHICLE",
    AREA,
    writes="a sharing (started, ended)",
)
def test_starting_a_sharing(owner, partner, clock):
    car = owner.find()
    ends_at = clock.later(3600)
    vehicle = owner.share(car["id"], partner.fleet_id, ends_at=ends_at)
    sharing = vehicle.get("sharing") or {}
    expect.equal((sharing.get("owner") or {}).get("fleet_id"), owner.fleet_id, "sharing.owner.fleet_id")
    expect.equal((sharing.get("partner") or {}).get("fleet_id"), partner.fleet_id, "sharing.partner.fleet_id")
    expect.true(
        all((sharing.get(side) or {}).get("name") for side in ("owner", "partner")),
        "a name for the owner and the partner",
    )
    expect.true(bool(sharing.get("starts_at")), "sharing.starts_at")
    expect.equal(str(sharing.get("ends_at"))[:19], ends_at[:19], "sharing.ends_at (to the second)")
    expect.equal(sharing.get("status"), "SHARED_OWN_VEHICLE", "sharing.status as the owner sees it")


@rule(
    "INVERS-SHARE-03",
    "a sharing started without ends_at is open-ended (ends_at absent or null)",
    AREA,
    writes="a sharing (started, ended)",
)
def test_an_open_ended_sharing(owner, partner):
    vehicle = owner.share(owner.find()["id"], partner.fleet_id)
    expect.true((vehicle.get("sharing") or {}).get("ends_at") is None, "no ends_at on the sharing")


@rule(
    "INVERS-SHARE-04",
    "sharing with a fleet that is not a sharing partner is refused with 400 /problems/referenced-resource-not-found",
    AREA,
    writes="a sharing (started)",
)
def test_only_partners(owner, outsider):
    car = owner.find()
    response = owner.start_sharing(car["id"], outsider.fleet_id)
    expect_field_named(expect_problem(response, 400, "/problems/referenced-resource-not-found"), "fleet_id")
    expect.true(
        outsider.http.get(f"/vehicles/{car['id']}").status_code == 404,
        "the vehicle still out of the other fleet's sight",
    )


@rule(
    "INVERS-SHARE-05",
    "sharing a vehicle that is already shared is refused with 409 /problems/vehicle/shared-with-partner",
    AREA,
    writes="a sharing (started, ended)",
)
def test_no_second_sharing(owner, partner):
    car = owner.find()
    owner.share(car["id"], partner.fleet_id)
    expect_problem(owner.start_sharing(car["id"], partner.fleet_id), 409, "/problems/vehicle/shared-with-partner")


@rule(
    "INVERS-SHARE-06",
    "an ends_at in the past is refused with 400 /problems/validation-error naming ends_at",
    AREA,
    writes="a sharing (started)",
)
def test_an_end_in_the_past(owner, partner, clock):
    car = owner.find()
    response = owner.start_sharing(car["id"], partner.fleet_id, ends_at=clock.later(-3600))
    expect_field_named(expect_problem(response, 400, "/problems/validation-error"), "ends_at")
    expect.true(
        expect.json_of(owner.http.get(f"/vehicles/{car['id']}")).get("sharing") is None, "the vehicle still unshared"
    )


@rule(
    "INVERS-SHARE-07",
    "the partner may not share a vehicle shared with it (403 /problems/missing-permissions)",
    AREA,
    writes="a sharing (started, ended)",
)
def test_only_the_owner_shares(owner, partner):
    car = owner.find()
    owner.share(car["id"], partner.fleet_id)
    expect_problem(partner.start_sharing(car["id"], owner.fleet_id), 403, "/problems/missing-permissions")


@rule(
    "INVERS-SHARE-08",
    "PATCH /vehicles/{id}/sharing moves ends_at, and the partner sees the new end",
    AREA,
    writes="a sharing (started, changed, ended)",
)
def test_moving_the_end(owner, partner, clock):
    car = owner.find()
    owner.share(car["id"], partner.fleet_id, ends_at=clock.later(3600))
    later = clock.later(7200)
    response = owner.http.patch(f"/vehicles/{car['id']}/sharing", json={"ends_at": later})
    expect.status(response, 200)
    expect.equal(
        str((expect.json_of(response).get("sharing") or {}).get("ends_at"))[:19], later[:19], "the answered ends_at"
    )
    seen = expect.json_of(partner.http.get(f"/vehicles/{car['id']}")).get("sharing") or {}
    expect.equal(str(seen.get("ends_at"))[:19], later[:19], "the ends_at the partner sees")
