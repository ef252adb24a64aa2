"""FleetShare: ending a sharing, by either side or when ends_at passes (seed 000, "End Sharing")."""

from __future__ import annotations

from .. import expect
from ..rules import rule
from .problems import expect_problem

AREA = "FleetShare: ending"


def expect_back_with_the_owner(owner, partner, car: dict) -> None:
    expect_problem(partner.http.get(f"/vehicles/{car['id']}"), 404, "/problems/resource-not-found")
    expect.true(car["id"] not in {v.get("id") for v in partner.vehicles()}, "the vehicle gone from the partner's list")
    expect.true(
        expect.json_of(owner.http.get(f"/vehicles/{car['id']}")).get("sharing") is None,
        "no sharing on the owner's vehicle",
    )


@rule(
    "INVERS-END-01",
    "DELETE /vehicles/{id}/sharing by the owner ends it: the partner gets 404 and loses the vehicle from its list",
    AREA,
    writes="a sharing (started, ended)",
)
def test_the_owner_ends_it(owner, partner):
    car = owner.find()
    owner.share(car["id"], partner.fleet_id)
    expect.status(owner.http.delete(f"/vehicles/{car['id']}/sharing"), 200, 204)
    expect_back_with_the_owner(owner, partner, car)


@rule(
    "INVERS-END-02",
    "once the sharing has ended, the owner may command the vehicle again",
    AREA,
    writes="a sharing (started, ended); a vehicle's locks (commanded, then back)",
)
def test_the_owner_commands_again(owner, partner):
    car = owner.idle_car()
    owner.keep_state(car)
    owner.share(car["id"], partner.fleet_id)
    expect.status(owner.http.delete(f"/vehicles/{car['id']}/sharing"), 200, 204)
    expect.status(owner.http.post(f"/vehicles/{car['id']}/commands/unlock-central-lock"), 200)


@rule(
    "INVERS-END-03",
    "DELETE /vehicles/{id}/sharing/partner by the partner gives the vehicle back",
    AREA,
    writes="a sharing (started, ended by the partner, ended)",
)
def test_the_partner_gives_it_back(owner, partner):
    car = owner.find()
    owner.share(car["id"], partner.fleet_id)
    expect.status(partner.http.delete(f"/vehicles/{car['id']}/sharing/partner"), 200, 204)
    expect_back_with_the_owner(owner, partner, car)


@rule(
    "INVERS-END-04",
    "when ends_at passes, the partner loses the vehicle and the owner may command it again",
    AREA,
    writes="a sharing (started, ended); the sandbox's clock (moved on); a vehicle's locks (commanded, then back)",
)
def test_the_end_passes(owner, partner, clock):
    car = owner.idle_car()
    owner.keep_state(car)
    owner.share(car["id"], partner.fleet_id, ends_at=clock.later(5))
    expect.status(partner.http.get(f"/vehicles/{car['id']}"), 200)
    clock.let_pass(7)
    expect_back_with_the_owner(owner, partner, car)
    expect.status(owner.http.post(f"/vehicles/{car['id']}/commands/unlock-central-lock"), 200)


@rule(
    "INVERS-END-05",
    "ending a sharing of a vehicle that is not shared is refused with 404",
    AREA,
    writes="a sharing (ended)",
)
def test_nothing_to_end(owner):
    car = owner.find()
    expect.status(owner.http.delete(f"/vehicles/{car['id']}/sharing"), 404)
