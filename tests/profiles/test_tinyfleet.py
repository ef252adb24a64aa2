"""A fourth profile through the path the shipped ones use: tinyfleet (its own spec, world and rules, all in
tests/profiles/tinyfleet/) is registered through `$FLEETBOX_PROFILES`, then served, checked and self-tested."""

from __future__ import annotations

import os
import re
from pathlib import Path

import httpx
import pytest

from conformance.contract import PROFILES_VARIABLE, contract_of

from ..support import LiveServer, failed_rules, run_check
from .tinyfleet import SPEC
from .tinyfleet.sandbox.world import TinyWorld

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BASE = contract_of(SPEC).base_path


@pytest.fixture(scope="module")
def server():
    """A server of every installed profile plus tinyfleet, registered as a user registers a profile."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PROFILES_VARIABLE, str(SPEC))
        # `fleetbox check` runs as a subprocess and imports the suite package from the source tree.
        patch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        live = LiveServer().start()
        yield live
        live.stop()


@pytest.fixture
def sandbox(server) -> dict:
    created = httpx.post(f"{server.url}/__sandbox/sandboxes", json={"seed": 3, "size": 5})
    assert created.status_code == 201, created.text
    yield created.json()
    httpx.delete(f"{server.url}/__sandbox/sandboxes/{created.json()['id']}")


def test_tinyfleet_is_served_with_state_errors_and_a_control_plane(server, sandbox):
    api = httpx.Client(base_url=server.url + BASE)
    token = api.post("/token", json={"apiKey": sandbox["credentials"]["tinyfleet"]["apiKey"]}).json()["token"]
    api.headers["Authorization"] = f"Bearer {token}"
    assert len(api.get("/vehicles").json()["vehicles"]) == 5
    added = api.post("/vehicles", json={"name": "Ada", "plate": "NEW-1"})
    assert added.status_code == 201 and api.get(added.headers["location"]).json()["plate"] == "NEW-1"
    assert api.post("/vehicles", json={"name": "Bob", "plate": "NEW-1"}).json() == {
        "error": {"code": "conflict", "message": "The fleet already has a vehicle with plate NEW-1."}
    }
    assert api.get("/vehicles/999").status_code == 404
    assert httpx.get(f"{server.url}{BASE}/vehicles").json()["error"]["code"] == "unauthenticated"
    health = httpx.get(f"{server.url}/__sandbox/health").json()
    assert {"name": "tinyfleet", "basePath": BASE} in health["profiles"]
    # The control plane's served spec lists tinyfleet wherever it lists profiles.
    control = f"{server.url}/__sandbox/sandboxes/{sandbox['id']}"
    fault = httpx.post(f"{control}/faults", json={"profile": "tinyfleet", "status": 503, "times": 1})
    assert fault.status_code == 201, fault.text
    assert api.get("/vehicles").json()["error"]["code"] == "injected"
    exported = httpx.get(f"{control}/state").json()
    assert any(v["plate"] == "NEW-1" for v in exported["profiles"]["tinyfleet"]["vehicles"])


def test_the_suite_passes_against_the_sandbox(server):
    run = run_check(server.url + BASE, "--seed", "1", "--max-examples", "5", profile="tinyfleet")
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert failed_rules(run) == set() and "not checked" not in run.stdout
    for rule in ("TINYFLEET-AUTH-01", "TINYFLEET-VEH-02", "TINYFLEET-CONTRACT-addVehicle", "TINYFLEET-STATEFUL-01"):
        assert re.search(rf"^  ok +{rule} ", run.stdout, re.M), rule


def _plates_not_unique(monkeypatch):
    def add_vehicle(self, name, plate):
        vehicle = {"id": max(self.vehicles, default=0) + 1, "name": name, "plate": plate}
        self.vehicles[vehicle["id"]] = vehicle
        return dict(vehicle)

    monkeypatch.setattr(TinyWorld, "add_vehicle", add_vehicle)


def _limit_ignored(monkeypatch):
    monkeypatch.setattr(TinyWorld, "list_vehicles", lambda self, limit: {"vehicles": list(self.vehicles.values())})


@pytest.mark.parametrize(
    ("plant", "rule"), [(_plates_not_unique, "TINYFLEET-VEH-02"), (_limit_ignored, "TINYFLEET-VEH-03")]
)
def test_a_planted_bug_fails_its_rule(server, monkeypatch, plant, rule):
    plant(monkeypatch)
    run = run_check(server.url + BASE, "--only", "TINYFLEET-AUTH-*", "TINYFLEET-VEH-*", profile="tinyfleet")
    assert run.returncode == 1, run.stdout[-4000:] + run.stderr[-2000:]
    assert failed_rules(run) == {rule}
