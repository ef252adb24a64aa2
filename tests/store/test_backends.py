"""What every durable store provides (engine/store), checked on SQLite and on a real Redis alike; and that a
second process replaying the recorded operations ends with exactly the first one's sandbox."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from mockserver.app import create_app
from mockserver.engine.store import Head, open_store
from mockserver.http.context import REGISTRY_KEY
from mockserver.settings import Settings


@pytest.fixture
def store(store_url):
    opened = open_store(store_url)
    yield opened
    opened.close()


def blob(text: str):
    return lambda: text.encode()


def test_a_sandbox_is_created_once_and_its_history_grows_one_version_per_operation(store):
    assert store.create("s1", {"seed": 1}, blob("snap"), [("trimble", "key-1")])
    assert not store.create("s1", {"seed": 2}, blob("other"), [])
    generation = store.head("s1").generation
    assert store.head("s1") == Head(generation, 0) and store.ids() == ["s1"]
    for n in range(3):
        with store.write("s1") as writer:
            assert writer.head == Head(generation, n)
            writer.append(f"op{n}".encode())
            writer.index_token(f"token-{n}")
    assert store.head("s1") == Head(generation, 3)
    assert store.ops_since("s1", Head(generation, 1)) == [(2, b"op1"), (3, b"op2")]
    assert store.key_owner("trimble", "key-1") == "s1" and store.token_owner("token-2") == "s1"
    loaded = store.load("s1")
    assert loaded.meta == {"seed": 1} and loaded.snapshot == b"snap" and [v for v, _ in loaded.ops] == [1, 2, 3]


def test_starting_over_is_a_new_generation_without_the_old_history(store):
    store.create("s1", {}, blob("one"), [("trimble", "old-key")])
    first = store.head("s1")
    with store.write("s1") as writer:
        writer.append(b"op")
        writer.index_token("old-token")
    head = store.replace("s1", {"seed": 9}, blob("two"), [("trimble", "new-key")])
    assert head.generation != first.generation and head.version == 1 and store.head("s1") == head
    assert store.ops_since("s1", first) is None  # that generation is gone: reload
    assert store.token_owner("old-token") is None and store.key_owner("trimble", "old-key") is None
    assert store.key_owner("trimble", "new-key") == "s1"
    assert store.load("s1").snapshot == b"two" and store.load("s1").ops == []
    store.delete("s1")
    assert store.head("s1") is None and store.load("s1") is None and store.ids() == []
    assert store.create("s1", {}, blob("again"), [])  # the same id, a life of its own
    assert store.head("s1").generation not in (first.generation, head.generation)


def test_a_snapshot_bounds_what_loading_replays(store):
    store.create("s1", {}, blob("zero"), [])
    for n in range(5):
        with store.write("s1") as writer:
            writer.append(f"op{n + 1}".encode())
    store.save_snapshot("s1", Head(store.head("s1").generation, 3), b"three")
    loaded = store.load("s1")
    assert loaded.snapshot == b"three" and loaded.snapshot_version == 3 and [v for v, _ in loaded.ops] == [4, 5]


def test_an_older_snapshot_never_replaces_a_newer_one(store):
    """Two processes snapshot the same sandbox; the one that fell behind saves last. Its snapshot must not
    win: the operations between the two were dropped with the newer one, so loading would find a gap."""
    store.create("s1", {}, blob("zero"), [])
    for n in range(6):
        with store.write("s1") as writer:
            writer.append(f"op{n + 1}".encode())
    generation = store.head("s1").generation
    store.save_snapshot("s1", Head(generation, 5), b"five")
    store.save_snapshot("s1", Head(generation, 3), b"three")
    loaded = store.load("s1")
    assert (loaded.snapshot, loaded.snapshot_version, [v for v, _ in loaded.ops]) == (b"five", 5, [6])


def test_records_keep_their_bound_and_never_reuse_a_number(store):
    store.create("s1", {}, blob(""), [])
    records = store.records("s1", "journal", 10)
    for n in range(75):
        records.append(lambda seq, n=n: {"seq": seq, "n": n})
    kept = records.items()
    assert [item["seq"] for item in kept] == list(range(66, 76))
    assert [item["seq"] for item in records.items(since=73)] == [74, 75]
    records.put(75, {"seq": 75, "n": "changed"})
    assert records.items(since=74) == [{"seq": 75, "n": "changed"}]
    records.clear()
    assert records.items() == [] and records.append(lambda seq: seq) == 76
    assert store.records("s2", "journal", 10).items() == []


def test_records_appended_in_batches_are_numbered_in_order_and_trimmed_alike(store):
    """The journal's background writer appends what requests queued, one batch per log."""
    store.create("s1", {}, blob(""), [])
    records = store.records("s1", "journal", 10)
    batches = [[lambda seq, n=n: (seq, n) for n in range(at, at + 7)] for at in range(0, 140, 7)]
    appended = [item for batch in batches for item in records.append_all(batch)]
    assert appended == [(seq, seq - 1) for seq in range(1, 141)]
    assert records.items() == appended[-10:] and records.append(lambda seq: (seq, "one")) == (141, "one")


def test_a_tally_counts_every_hit_once_under_contention_and_ends_with_the_sandbox(store):
    """The quota counters: an atomic read-modify-write per key, shared by threads (and processes, which
    hold their own connections just the same), not versioned, gone with the sandbox's life."""
    store.create("s1", {}, blob(""), [])
    store.create("s2", {}, blob(""), [])
    head = store.head("s1")

    def hit(key: str) -> tuple[int, int]:
        return store.tally("s1", key, lambda window: (7, (window or (7, 0))[1] + 1))

    with ThreadPoolExecutor(8) as pool:
        seen = sorted(count for _, count in pool.map(hit, ["a"] * 120))
    assert seen == list(range(1, 121)), "each hit saw its own count: none lost, none twice"
    assert hit("b") == (7, 1) and store.tally("s2", "a", lambda window: window or (0, 0)) == (0, 0)
    assert store.head("s1") == head, "counting is no operation: nothing for other processes to replay"
    store.replace("s1", {}, blob(""), [])
    assert store.tally("s1", "a", lambda window: window or (0, 0)) == (0, 0), "a reset starts counting over"
    hit("a")
    store.delete("s1")
    store.create("s1", {}, blob(""), [])
    assert store.tally("s1", "a", lambda window: window or (0, 0)) == (0, 0), "so does a new life of the id"


def test_another_process_replaying_the_operations_has_the_same_sandbox(store_url, sandbox_writes):
    first = create_app(Settings(store=store_url)).app.extensions[REGISTRY_KEY]
    sandbox_writes(first)
    second = create_app(Settings(store=store_url)).app.extensions[REGISTRY_KEY]
    assert second.export_state("default") == first.export_state("default")
    mine, theirs = first.get("default"), second.get("default")
    assert {g.token for g in first.tokens.of_sandbox("default")} == {
        g.token for g in second.tokens.of_sandbox("default")
    }
    hourfleet_etags = [w.world("hourfleet").version_of("cars", "bookings") for w in (mine, theirs)]
    assert hourfleet_etags[0] == hourfleet_etags[1]
    assert mine.clock.state()[2] == theirs.clock.state()[2]  # even the last tick handed out


@pytest.fixture
def sandbox_writes():
    """Writes of every kind through the worlds' own methods (tokens, batches, sharings, bookings, the
    control plane's quotas, faults, clock and webhooks)."""

    def write(registry) -> None:
        sandbox = registry.get("default")
        trimble = sandbox.world("trimble")
        key = trimble.credentials()[0]["apiKey"]
        trimble.authenticate(key, None)
        caller = next(iter(registry.tokens.of_sandbox("default"))).subject
        from mockserver.trimble.records import VEHICLES

        trimble.create_members(caller, VEHICLES, [{"vehicleId": "r-1", "Name": "replayed one"}])
        trimble.rename_members(caller, VEHICLES, [{"vehicleId": "r-1", "Name": "replayed once more"}])
        invers = sandbox.world("invers")
        client = invers.credentials()[0]
        invers.issue_token(client["client_id"], client["client_secret"])
        sandbox.set_clock(sandbox.now() + timedelta(hours=1), frozen=True)
        sandbox.configure_rate_limit("trimble", None)
        from mockserver.engine.faults import Fault

        sandbox.add_fault(Fault.from_dict({"status": 500, "times": 3}, fault_id="f-1"))
        sandbox.take_fault("trimble", "GET", "/vehicles")
        sandbox.subscribe("fleet", "http://127.0.0.1:9/hook", ("VehicleChanged",), "replayed")
        hourfleet = sandbox.world("hourfleet")
        app = hourfleet.credentials()["client_applications"][0]
        hourfleet.issue_token({"grant_type": "client_credentials", **app})

    return write


def test_a_write_that_fails_is_kept_and_leaves_the_copy_in_step_with_the_store(store_url):
    """A refused write (deleting a vehicle that is not there) is recorded like any write: committed, not rolled
    back under the copy that ran it, which would then reload the whole sandbox on its next request."""
    from mockserver.engine.errors import NotFound
    from mockserver.trimble.records import VEHICLES, Caller

    registry = create_app(Settings(store=store_url)).app.extensions[REGISTRY_KEY]
    sandbox = registry.get("default")
    trimble = sandbox.world("trimble")
    direct = next(a for a in trimble.accounts.values() if a.type == "direct")
    with pytest.raises(NotFound):
        trimble.delete_member(Caller(direct.id, direct.id, False), VEHICLES, "not-there")
    assert registry.store.head("default") == sandbox.head
    reloads = []
    sandbox.reload = lambda: reloads.append(1)
    sandbox.sync()
    assert reloads == []


def test_a_created_sandbox_is_served_from_the_copy_that_made_it(store_url):
    """The new sandbox's copy carries the store's generation: its first request does not take it for another
    life and load it all again from its snapshot (seconds for a big world)."""
    registry = create_app(Settings(store=store_url)).app.extensions[REGISTRY_KEY]
    created = registry.create("made-here", seed=3, size=5)
    assert created.head == registry.store.head("made-here")
    reloads = []
    created.reload = lambda: reloads.append(1)
    assert registry.get("made-here") is created
    assert reloads == []
