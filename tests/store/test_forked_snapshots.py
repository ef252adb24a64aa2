"""Big snapshots pickled by a forked child (engine/forked.py), on SQLite and a real Redis: what the child stores
loads as the same sandbox, writes made while it pickles are kept, and a child that dies, or a sandbox reset or
deleted under it, leaves the store as if it had never run."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from mockserver.app import create_app
from mockserver.engine import forked, replica, snapshots
from mockserver.http.context import REGISTRY_KEY
from mockserver.settings import Settings
from mockserver.trimble.records import VEHICLES, Caller

EVERY = 10  # writes between snapshots here


@pytest.fixture
def children(monkeypatch, tmp_path):
    """Every snapshot forked (one due every EVERY writes); the pids of the children, and a gate each child
    waits at before pickling (`open_gate`), so the test decides what happens while it runs."""
    monkeypatch.setattr(snapshots, "FORK_SNAPSHOT_FROM", 0)
    monkeypatch.setattr(snapshots, "SNAPSHOT_EVERY", EVERY)
    monkeypatch.setattr(snapshots, "SNAPSHOT_BYTES_PER_OP", 2**40)
    pids: list[int] = []
    fork, pickled, gate, parent = os.fork, replica.pickled, tmp_path / "gate", os.getpid()

    def forking() -> int:
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    def gated(state, shared) -> bytes:
        if os.getpid() == parent:  # an in-process snapshot
            return pickled(state, shared)
        deadline = time.monotonic() + 60
        while not gate.exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        return pickled(state, shared)

    monkeypatch.setattr(os, "fork", forking)
    monkeypatch.setattr(replica, "pickled", gated)
    yield pids
    gate.touch()  # no child of a failed test left waiting


def open_gate(tmp_path: Path) -> None:
    (tmp_path / "gate").touch()


def settled(sandbox) -> None:
    """Wait for the sandbox's child to be reaped and its snapshot stored (or dropped)."""
    deadline = time.monotonic() + 60
    while sandbox._snapshotting and time.monotonic() < deadline:
        time.sleep(0.005)
    assert not sandbox._snapshotting


def registry_of(store_url: str):
    return create_app(Settings(store=store_url)).app.extensions[REGISTRY_KEY]


def add_vehicles(sandbox, names: range) -> None:
    trimble = sandbox.world("trimble")
    direct = next(a for a in trimble.accounts.values() if a.type == "direct")
    for n in names:
        trimble.create_members(
            Caller(direct.id, direct.id, False), VEHICLES, [{"vehicleId": f"f-{n}", "Name": f"n {n}"}]
        )


def test_a_snapshot_pickled_by_a_child_loads_as_the_same_sandbox_with_the_writes_made_meanwhile(
    store_url, children, tmp_path
):
    registry = registry_of(store_url)
    sandbox = registry.get("default")
    start = sandbox.head.version
    add_vehicles(sandbox, range(EVERY))
    assert len(children) == 1 and sandbox._snapshotting, "the due snapshot went to a child"
    forked_at = start + EVERY
    add_vehicles(sandbox, range(EVERY, EVERY + 5))  # while the child waits: after its image, so not in it
    open_gate(tmp_path)
    settled(sandbox)
    stored = registry.store.load("default")
    assert stored.snapshot_version == forked_at
    assert [version for version, _ in stored.ops] == list(range(forked_at + 1, sandbox.head.version + 1))
    assert sandbox._last_snapshot == (forked_at, len(stored.snapshot))
    fresh = registry_of(store_url)
    assert fresh.export_state("default") == registry.export_state("default")
    loaded = registry_of(store_url).get("default")
    loaded.restore(stored.snapshot)  # the child's snapshot alone: the world at the fork, not a write after
    vehicles = {m.external_id for f in loaded.world("trimble").fleets.values() for m in f.members["vehicle"].values()}
    assert "f-9" in vehicles and "f-10" not in vehicles


def test_a_killed_child_leaves_the_store_as_it_was_and_the_next_due_write_snapshots_again(
    store_url, children, tmp_path
):
    registry = registry_of(store_url)
    sandbox = registry.get("default")
    before = registry.store.load("default").snapshot_version
    add_vehicles(sandbox, range(EVERY))
    assert len(children) == 1
    os.kill(children[0], signal.SIGKILL)
    settled(sandbox)
    assert registry.store.load("default").snapshot_version == before
    assert registry_of(store_url).export_state("default") == registry.export_state("default")
    add_vehicles(sandbox, range(EVERY, EVERY + 1))
    assert len(children) == 1, "after a failed child, the next snapshot is pickled in process"
    assert registry.store.load("default").snapshot_version == sandbox.head.version
    open_gate(tmp_path)
    add_vehicles(sandbox, range(EVERY + 1, 2 * EVERY + 1))
    assert len(children) == 2, "and the one after goes to a child again"
    settled(sandbox)
    assert registry.store.load("default").snapshot_version == sandbox.head.version
    assert registry_of(store_url).export_state("default") == registry.export_state("default")


@pytest.mark.parametrize("ending", ["reset", "deleted and created again"])
def test_a_sandbox_reset_or_deleted_while_its_child_pickles_keeps_its_new_life(store_url, children, tmp_path, ending):
    registry = registry_of(store_url)
    sandbox = registry.create("gone", seed=3, size=5)
    add_vehicles(sandbox, range(EVERY))
    assert len(children) == 1
    if ending == "reset":
        registry.reset("gone")
    else:
        registry.delete("gone")
        registry.create("gone", seed=3, size=5)
    new_life = registry.store.head("gone")
    add_vehicles(registry.get("gone"), range(100, 103))
    open_gate(tmp_path)
    settled(sandbox)
    stored = registry.store.load("gone")
    assert (stored.head.generation, stored.snapshot_version) == (new_life.generation, new_life.version)
    fresh = registry_of(store_url).get("gone")
    vehicles = {m.external_id for f in fresh.world("trimble").fleets.values() for m in f.members["vehicle"].values()}
    assert {"f-100", "f-102"} <= vehicles and "f-0" not in vehicles
    assert registry_of(store_url).export_state("gone") == registry.export_state("gone")


def test_a_fork_that_fails_leaves_the_snapshot_to_the_process(store_url, children, monkeypatch):
    def refused() -> int:
        raise OSError("no memory for another process")

    monkeypatch.setattr(os, "fork", refused)
    registry = registry_of(store_url)
    sandbox = registry.get("default")
    add_vehicles(sandbox, range(EVERY))
    assert not sandbox._snapshotting
    assert registry.store.load("default").snapshot_version == sandbox.head.version


def test_a_child_that_never_answers_is_killed_and_the_store_left_as_it_was(store_url, children, monkeypatch):
    """A child stuck (on a lock another thread held at the fork, say) must not stop the sandbox's snapshots for
    good: past `GIVE_UP_AFTER` it is killed, and the next due snapshot is pickled in process."""
    monkeypatch.setattr(forked, "GIVE_UP_AFTER", 0.2)
    registry = registry_of(store_url)
    sandbox = registry.get("default")
    before = registry.store.load("default").snapshot_version
    add_vehicles(sandbox, range(EVERY))  # its child waits at the gate, which stays shut
    assert len(children) == 1
    settled(sandbox)
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)  # killed and reaped
    assert registry.store.load("default").snapshot_version == before
    add_vehicles(sandbox, range(EVERY, EVERY + 1))
    assert registry.store.load("default").snapshot_version == sandbox.head.version
