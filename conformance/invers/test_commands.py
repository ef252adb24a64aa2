"""Vehicle commands: POST /vehicles/{id}/commands/{command} (INVERS "Vehicle Commands")."""

from __future__ import annotations

from .. import expect
from ..rules import rule
from .problems import expect_problem

AREA = "Commands"


def state_value(state: dict, name: str):
    return (state.get(name) or {}).get("value")


@rule(
    "INVERS-CMD-01",
    "a command answers 200 with the updated vehicle state (unlock-central-lock: central_lock UNLOCKED)",
    AREA,
    writes="a vehicle's locks (commanded, then back)",
)
def test_a_command_answers_the_state(any_fleet):
    car = any_fleet.idle_car()
    any_fleet.keep_state(car)
    response = any_fleet.http.post(f"/vehicles/{car['id']}/commands/unlock-central-lock")
    expect.status(response, 200)
    expect.equal(state_value(expect.json_of(response), "central_lock"), "UNLOCKED", "central_lock in the answer")


@rule(
    "INVERS-CMD-02",
    "a later read shows the state a command set (lock-central-lock: central_lock LOCKED)",
    AREA,
    writes="a vehicle's locks (commanded, then back)",
)
def test_reads_show_the_commanded_state(any_fleet):
    car = any_fleet.idle_car()
    any_fleet.keep_state(car)
    expect.status(any_fleet.http.post(f"/vehicles/{car['id']}/commands/unlock-central-lock"), 200)
    expect.status(any_fleet.http.post(f"/vehicles/{car['id']}/commands/lock-central-lock"), 200)
    later = expect.json_of(any_fleet.http.get(f"/vehicles/{car['id']}"))
    expect.equal(state_value(later.get("state", {}), "central_lock"), "LOCKED", "central_lock a later read shows")


@rule(
    "INVERS-CMD-03",
    "a command missing from the vehicle's capabilities is refused with 409 /problems/vehicle/command-not-supported",
    AREA,
    writes="a vehicle's locks (commanded, then back)",
)
def test_an_unsupported_command(any_fleet):
    vehicle = any_fleet.find(lacking="LOCK_CENTRAL_LOCK")
    response = any_fleet.http.post(f"/vehicles/{vehicle['id']}/commands/lock-central-lock")
    expect_problem(response, 409, "/problems/vehicle/command-not-supported")


@rule(
    "INVERS-CMD-04",
    "locking a vehicle in use (ignition on) is refused with 409 /problems/vehicle/conflicting-state "
    "and changes nothing",
    AREA,
    writes="a vehicle's locks (commanded, then back)",
)
def test_a_conflicting_state(any_fleet):
    vehicle = any_fleet.find(command="LOCK_CENTRAL_LOCK", in_use=True)
    response = any_fleet.http.post(f"/vehicles/{vehicle['id']}/commands/lock-central-lock")
    expect_problem(response, 409, "/problems/vehicle/conflicting-state")
    later = expect.json_of(any_fleet.http.get(f"/vehicles/{vehicle['id']}"))
    expect.equal(
        state_value(later.get("state", {}), "central_lock"),
        state_value(vehicle["state"], "central_lock"),
        "central_lock (unchanged)",
    )
