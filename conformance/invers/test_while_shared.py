"""FleetShare while a vehicle is shared: who may read, command and change it (seed 000)."""

from __future__ import annotations

import pytest

from .. import expect
from ..rules import rule
from .problems import expect_problem

AREA = "FleetShare: while shared"


@pytest.fixture
def shared(owner, partner) -> dict:
    """An idle car of the owner's, shared with the partner for this rule."""
    car = owner.idle_car()
    owner.keep_state(car)
    owner.share(car["id"], partner.fleet_id)
    return car


@rule(
    "INVERS-SHARED-01",
    "the shared vehicle is in the partner's vehicle list, with sharing.status SHARED_PARTNER_VEHICLE",
    AREA,
    writes="a sharing (started, ended); a vehicle's locks (commanded, then back)",
)
def test_in_the_partners_list(partner, shared):
    listed = {v.get("id"): v for v in partner.vehicles()}
    expect.true(shared["id"] in listed, f"vehicle {shared['id']} in the partner's list")
    expect.equal(
        (listed[shared["id"]].get("sharing") or {}).get("status"),
        "SHARED_PARTNER_VEHICLE",
        "sharing.status as the partner sees it",
    )


@rule(
    "INVERS-SHARED-02",
    "the partner reads the shared vehicle with GET /vehicles/{id}",
    AREA,
    writes="a sharing (started, ended); a vehicle's locks (commanded, then back)",
)
def test_the_partner_reads_it(partner, shared):
    response = partner.http.get(f"/vehicles/{shared['id']}")
    expect.status(response, 200)
    expect.equal(expect.json_of(response).get("id"), shared["id"], "the vehicle read")


@rule(
    "INVERS-SHARED-03",
    "the owner still lists and reads its shared vehicle",
    AREA,
    writes="a sharing (started, ended); a vehicle's locks (commanded, then back)",
)
def test_the_owner_still_sees_it(owner, shared):
    expect.true(shared["id"] in {v.get("id") for v in owner.vehicles()}, "the vehicle in the owner's list")
    expect.status(owner.http.get(f"/vehicles/{shared['id']}"), 200)


@rule(
    "INVERS-SHARED-04",
    "the owner's commands are refused with 409 /problems/vehicle/shared-with-partner",
    AREA,
    writes="a sharing (started, ended); a vehicle's locks (commanded, then back)",
)
def test_the_owner_may_not_command(owner, shared):
    expect_problem(
        owner.http.post(f"/vehicles/{shared['id']}/commands/unlock-central-lock"),
        409,
        "/problems/vehicle/shared-with-partner",
    )
    later = expect.json_of(owner.http.get(f"/vehicles/{shared['id']}"))
    expect.equal(later["state"].get("central_lock"), shared["state"].get("central_lock"), "central_lock (unchanged)")


@rule(
    "INVERS-SHARED-05",
    "the partner's commands are carried out, and the owner reads the state they set",
    AREA,
    writes="a sharing (started, ended); a vehicle's locks (commanded, then back)",
)
def test_the_partner_commands(owner, partner, shared):
    response = partner.http.post(f"/vehicles/{shared['id']}/commands/unlock-central-lock")
    expect.status(response, 200)
    expect.equal(
        (expect.json_of(response).get("central_lock") or {}).get("value"), "UNLOCKED", "central_lock in the answer"
    )
    seen = expect.json_of(owner.http.get(f"/vehicles/{shared['id']}"))
    expect.equal((seen["state"].get("central_lock") or {}).get("value"), "UNLOCKED", "central_lock the owner reads")


@rule(
    "INVERS-SHARED-06",
    "the partner's PATCH of master data is refused with 403 /problems/missing-permissions",
    AREA,
    writes="a sharing (started, ended); master data (changed, then back); a vehicle's locks (commanded, then back)",
)
def test_the_partner_may_not_edit(owner, partner, shared):
    owner.keep_master_data(shared, ("custom_name",))
    response = partner.http.patch(f"/vehicles/{shared['id']}", json={"master_data": {"custom_name": "taken over"}})
    expect_problem(response, 403, "/problems/missing-permissions")
    seen = expect.json_of(owner.http.get(f"/vehicles/{shared['id']}"))
    expect.equal(
        seen["master_data"].get("custom_name"), shared["master_data"].get("custom_name"), "custom_name (unchanged)"
    )


@rule(
    "INVERS-SHARED-07",
    "the partner may not change or end the sharing through the owner's endpoints (403 /problems/missing-permissions)",
    AREA,
    writes="a sharing (started, changed, ended); a vehicle's locks (commanded, then back)",
)
def test_the_partner_may_not_manage_the_sharing(partner, shared):
    expect_problem(
        partner.http.patch(f"/vehicles/{shared['id']}/sharing", json={"ends_at": None}),
        403,
        "/problems/missing-permissions",
    )
    expect_problem(partner.http.delete(f"/vehicles/{shared['id']}/sharing"), 403, "/problems/missing-permissions")
    expect.status(partner.http.get(f"/vehicles/{shared['id']}"), 200)


@rule(
    "INVERS-SHARED-08",
    "a fleet that is neither owner nor partner does not see the shared vehicle (404)",
    AREA,
    writes="a sharing (started, ended); a vehicle's locks (commanded, then back)",
)
def test_others_do_not_see_it(outsider, shared):
    expect_problem(outsider.http.get(f"/vehicles/{shared['id']}"), 404, "/problems/resource-not-found")
    expect.true(
        shared["id"] not in {v.get("id") for v in outsider.vehicles()}, "the vehicle absent from the other fleet's list"
    )
