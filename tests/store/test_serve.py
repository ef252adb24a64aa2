"""`fleetbox serve` over a durable store: a restart serves everything as it was, --seed/--size that disagree
are reported, --fresh starts over, and --workers shares one port (never over a memory store)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from ..support import TRIMBLE_BASE, free_port
from .test_instances import create, token_of, trimble_on


def control(server, path: str, method: str = "GET", **kwargs) -> httpx.Response:
    return httpx.request(method, f"{server.url}/__sandbox{path}", timeout=30, **kwargs)


def test_a_restart_serves_every_sandbox_with_everything_it_held(fleetbox, tmp_path, receiver):
    store = f"sqlite:///{tmp_path / 'store.sqlite'}"
    first = fleetbox(store)
    sandbox = create(first)
    where = f"/sandboxes/{sandbox.id}"
    token = token_of(sandbox.trimble("direct"))
    trimble_on(first, token).post("/vehicles", json=[{"vehicleId": "kept", "Name": "kept over a restart"}])
    control(first, where + "/clock/advance", "POST", json={"seconds": 600})
    control(first, where + "/rate-limits", "PUT", json={"trimble": {"limit": 1000, "windowSeconds": 3600}})
    fault = control(first, where + "/faults", "POST", json={"status": 503, "path": "/drivers", "times": 2}).json()
    target = receiver()
    hook = control(first, where + "/webhooks", "POST", json={"audience": "x", "url": target.url}).json()
    journal = control(first, where + "/journal").json()["entries"]
    first.stop()

    second = fleetbox(store)
    assert {s["id"] for s in control(second, "/sandboxes").json()["sandboxes"]} == {"default", sandbox.id}
    vehicles = trimble_on(second, token).get("/vehicles", params={"limit": 1000})  # the token survived
    assert "kept" in {v["vehicleId"] for v in vehicles.json()["data"]}
    assert abs(control(second, where + "/clock").json()["offsetSeconds"] - 600) < 5
    assert control(second, where + "/rate-limits").json()["trimble"] == {"limit": 1000, "windowSeconds": 3600}
    assert [f["id"] for f in control(second, where + "/faults").json()["faults"]] == [fault["id"]]
    assert [h["id"] for h in control(second, where + "/webhooks").json()["webhooks"]] == [hook["id"]]
    assert control(second, where + "/journal").json()["entries"][: len(journal)] == journal
    headers = {"Authorization": f"bearer {token}"}
    faulted = [httpx.get(second.url + TRIMBLE_BASE + "/drivers", headers=headers).status_code for _ in range(3)]
    assert faulted == [503, 503, 200]  # the fault (2 uses) still counts its uses


def test_a_stored_default_that_disagrees_with_seed_and_size_is_reported_and_fresh_starts_over(fleetbox, tmp_path):
    store = f"sqlite:///{tmp_path / 'store.sqlite'}"
    first = fleetbox(store, "--seed", "3", "--size", "10")
    other = create(first)
    first.stop()
    second = fleetbox(store, "--seed", "4", "--size", "11")
    assert "seed 3 and size 10" in second.output() and "--fresh" in second.output()
    default = control(second, "/sandboxes/default").json()
    assert (default["seed"], default["size"]) == (3, 10)
    second.stop()
    third = fleetbox(store, "--seed", "4", "--size", "11", "--fresh")
    default = control(third, "/sandboxes/default").json()
    assert (default["seed"], default["size"]) == (4, 11)
    assert control(third, f"/sandboxes/{other.id}").status_code == 404
    assert f"sandboxes kept in {store}" in third.output()


def test_workers_need_a_shared_store():
    command = [sys.executable, "-m", "mockserver", "serve", "--port", str(free_port()), "--store", "memory"]
    run = subprocess.run([*command, "--workers", "2"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "--store memory" in run.stderr


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def test_two_workers_on_one_port_serve_one_truth(fleetbox, tmp_path):
    server = fleetbox(f"sqlite:///{tmp_path / 'store.sqlite'}", "--workers", "2")
    sandbox = create(server)
    client = trimble_on(server, token_of(sandbox.trimble("direct")))
    for n in range(20):  # each request may be served by either worker
        assert client.post("/vehicles", json=[{"vehicleId": f"w-{n}", "Name": f"worker {n}"}]).status_code == 200
        listed = {v["vehicleId"] for v in client.get("/vehicles", params={"limit": 1000}).json()["data"]}
        assert f"w-{n}" in listed
    assert len([c for c in children(server.process.pid) if Path(f"/proc/{c}/cmdline").exists()]) >= 2
    assert httpx.get(server.url + TRIMBLE_BASE + "/vehicles", headers=client.http.headers).status_code == 200
