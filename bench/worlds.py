"""How big worlds cost: creation time and memory per profile and size, calls at 25 against 100,000, and the
memory of 200 default sandboxes. In-process (world methods called directly, no HTTP); not a timed test.

    PYTHONPATH=. python bench/worlds.py                  # sizes 25, 1000, 100000; every profile
    PYTHONPATH=. python bench/worlds.py --sizes 25,20000 --profiles trimble
    PYTHONPATH=. python bench/worlds.py --sizes 100000 --snapshots --sqlite   # and on the default store

Each measurement runs in a process of its own, so its RSS is its own. Times are wall clock and CPU (the
CPU figure is the fairer one on a machine other work shares).
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

PROFILES = ("trimble", "invers", "hourfleet")
CALL_REPEATS = 200


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def _registry(profiles: tuple[str, ...], store: str = "memory"):
    """A registry of `profiles` on `store` (`memory`, or `sqlite`: a fresh file in a temporary directory)."""
    from mockserver.engine.registry import SandboxRegistry
    from mockserver.engine.store import open_store
    from mockserver.profiles import vendor_profiles

    url = f"sqlite:///{tempfile.mkdtemp(prefix='fleetbox-bench-')}/store.sqlite" if store == "sqlite" else store
    worlds = {p.name: p.worlds for p in vendor_profiles() if p.name in profiles}
    return SandboxRegistry(worlds, max_size=100_000, store=open_store(url))


def measure_store_creation(profile: str, size: int) -> dict:
    """Creating a sandbox on the default store (SQLite): the world, its snapshot and the store's write, as
    `POST /__sandbox/sandboxes` does; the peak RSS is the whole process's (imports included)."""
    registry = _registry((profile,), "sqlite")
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    registry.create("bench", seed=1, size=size)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    gc.collect()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stored = sum(f.stat().st_size for f in Path(registry.store.path).parent.iterdir()) / 2**20
    return {"wall_s": wall, "cpu_s": cpu, "rss_mb": rss_mb(), "peak_mb": peak, "store_mb": stored}


def measure_creation(profile: str, size: int) -> dict:
    registry = _registry((profile,))
    gc.collect()
    before = rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    registry.create("bench", seed=1, size=size)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    gc.collect()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall_s": wall, "cpu_s": cpu, "rss_mb": rss_mb(), "held_mb": rss_mb() - before, "peak_mb": peak}


def measure_snapshot(profile: str, size: int) -> dict:
    """What a durable store (SQLite, Redis) adds to creating a world: `Sandbox.snapshot` pickles all of it and
    compresses it (on creation, and then at most every `SNAPSHOT_EVERY` writes), and another process loads it to
    serve it."""
    import lz4.frame

    sandbox = _registry((profile,)).create("bench", seed=1, size=size)
    cpu = time.process_time()
    blob = sandbox.snapshot()
    dumped = time.process_time() - cpu
    cpu = time.process_time()
    sandbox.restore(blob)
    loaded = time.process_time() - cpu
    return {
        "snapshot_cpu_s": dumped,
        "pickle_mb": len(lz4.frame.decompress(blob)) / 2**20,
        "lz4_mb": len(blob) / 2**20,
        "restore_cpu_s": loaded,
    }


def measure_default_sandboxes(count: int) -> dict:
    registry = _registry(PROFILES)
    registry.create("warm-up", size=25)  # imports and caches, paid once by any server
    gc.collect()
    before = rss_mb()
    wall = time.perf_counter()
    for n in range(count):
        registry.create(f"s{n}", seed=n, size=25)
    wall = time.perf_counter() - wall
    gc.collect()
    return {"count": count, "wall_s": wall, "held_mb": rss_mb() - before, "rss_mb": rss_mb()}


def measure_server_sandboxes(count: int) -> dict:
    """As `measure_default_sandboxes`, in a whole server (the app, its specs, its default sandbox) as
    `fleetbox serve` holds them: the process RSS is what the issue's 200 MB bound is about."""
    from mockserver.app import create_app
    from mockserver.http.context import REGISTRY_KEY

    registry = create_app().app.extensions[REGISTRY_KEY]
    gc.collect()
    before = rss_mb()
    for n in range(count - 1):  # the default sandbox is one of them
        registry.create(f"s{n}", seed=n, size=25)
    gc.collect()
    return {"count": count, "held_mb": rss_mb() - before, "rss_mb": rss_mb(), "rss_before_mb": before}


def _interleaved(small: dict, big: dict, rounds: int = 20, per_round: int = CALL_REPEATS // 20) -> dict:
    """Microseconds per call of each of `small`'s calls and `big`'s: rounds alternate between the two worlds,
    so whatever else the machine does falls on both alike; the median of every call timed."""
    samples: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in small}
    for name in small:
        small[name](), big[name]()  # untimed first calls
    for _ in range(rounds):
        for name in small:
            for at, calls in enumerate((small, big)):
                for _ in range(per_round):
                    start = time.perf_counter()
                    calls[name]()
                    samples[name][at].append(time.perf_counter() - start)
    return {name: (statistics.median(a) * 1e6, statistics.median(b) * 1e6) for name, (a, b) in samples.items()}


def _trimble_calls(world) -> tuple[dict, dict, dict]:
    from mockserver.trimble.records import VEHICLES, Caller

    account = next(a for a in world.accounts.values() if a.type == "direct")
    caller = Caller(account.id, account.id, False)
    middle = max(0, len(world.fleet(caller).members["vehicle"]) // 2 - 20)  # a whole page left, at 25 too
    counter = iter(range(10**9))
    first = time.perf_counter()
    world.list_members(caller, VEHICLES, 0, 20, "vehicleName", "ASC")
    build_ms = (time.perf_counter() - first) * 1000

    def create():
        n = next(counter)
        world.create_members(caller, VEHICLES, [{"vehicleId": f"bench-{n}", "Name": f"Bench {n}"}])

    def rename():
        world.rename_members(caller, VEHICLES, [{"vehicleId": "bench-0", "Name": f"R {next(counter)}"}])

    reads = {
        "page of 20 by name": lambda: world.list_members(caller, VEHICLES, 0, 20, "vehicleName", "ASC"),
        "page of 20 by name, DESC, mid-way": lambda: world.list_members(
            caller, VEHICLES, middle, 20, "vehicleName", "DESC"
        ),
        "page of 20 by id": lambda: world.list_members(caller, VEHICLES, 0, 20, "vehicleId", "ASC"),
    }
    return (
        {"first listing (builds the index), ms": build_ms},
        reads,
        {"create one vehicle": create, "rename one vehicle": rename},
    )


def _invers_calls(world) -> tuple[dict, dict, dict]:
    from mockserver.invers import paging

    client = next(iter(world._clients.values()))
    own = world._own_ids[client.fleet_id]
    token = paging.encode(own[max(0, len(own) // 2 - 20)])  # a whole page left, at 25 too
    counter = iter(range(10**9))
    vehicle_id = own[0]

    def change():
        world.update_vehicle(client, vehicle_id, {"master_data": {"custom_name": f"B {next(counter)}"}}, None)

    reads = {
        "first page of 20": lambda: world.list_vehicles(client, 20, None, None),
        "page of 20 mid-way (token)": lambda: world.list_vehicles(client, 20, token, None),
    }
    return {}, reads, {"change one vehicle": change}


def _hourfleet_calls(world) -> tuple[dict, dict, dict]:
    from mockserver.hourfleet.records import OPS, USER, Caller
    from mockserver.hourfleet.search import SearchQuery

    operator = next(u for u in world.users.values() if u.role == OPS)
    caller = Caller("bench", frozenset({USER, OPS}), operator.id)
    middle = max(0, len(world.cars) // 2 - 20)  # a whole page left, at 25 too
    counter = iter(range(10**9))
    first = time.perf_counter()
    world.search_cars(SearchQuery(limit=20), None)
    build_ms = (time.perf_counter() - first) * 1000

    def create():
        n = next(counter)
        world.create_car(caller, {"Make": "Kia", "Model": "Niro", "Year": 2022, "LicensePlate": f"BENCH-{n}"})

    reads = {
        "search, page of 20 (newest first)": lambda: world.search_cars(SearchQuery(limit=20), None),
        "search by Make, page of 20 mid-way": lambda: world.search_cars(
            SearchQuery(sort="Make", limit=20, offset=middle), None
        ),
    }
    return {"first search (builds the index), ms": build_ms}, reads, {"create one car": create}


CALLS = {"trimble": _trimble_calls, "invers": _invers_calls, "hourfleet": _hourfleet_calls}


def measure_calls(profile: str, big: int, store: str = "memory") -> dict:
    """Each call at size 25 and at size `big`, both worlds in this process, timed in alternation. On a durable
    `store` each call first asks the registry for its sandbox (what a request does: is it up to date?), and a
    write appends its operation to the store (`_Current`)."""
    registry = _registry((profile,), store)
    small_world = registry.create("small", seed=1, size=25).world(profile)
    big_world = registry.create("big", seed=1, size=big).world(profile)
    if store != "memory":
        small_world, big_world = _Current(registry, "small", profile), _Current(registry, "big", profile)
    (small_first, small_reads, small_writes) = CALLS[profile](small_world)
    (big_first, big_reads, big_writes) = CALLS[profile](big_world)
    # Reads first: a small world's pages would otherwise fill with the vehicles the writes add (no groups,
    # cheaper to show) and compare unlike pages, not sizes.
    timed = _interleaved(small_reads, big_reads)
    timed.update(_interleaved(small_writes, big_writes))
    rows = {name: (small_first[name], big_first[name]) for name in small_first}
    rows.update(timed)
    return rows


class _Current:
    """A sandbox's world as a request finds it: asked of the registry each time (on a durable store that checks
    the sandbox is up to date, and the world may have been loaded anew)."""

    def __init__(self, registry, sandbox_id: str, profile: str) -> None:
        self._registry, self._sandbox_id, self._profile = registry, sandbox_id, profile

    def __getattr__(self, name: str):
        return getattr(self._registry.get(self._sandbox_id).world(self._profile), name)


def _in_child(function: str, *args) -> dict:
    """Run one measurement in a fresh interpreter, so its memory is its own."""
    code = f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import worlds; "
    code += f"print(json.dumps(worlds.{function}(*{args!r})))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# A table's columns: (heading, the measurement's field, width, decimals).
_CREATION = [("wall s", "wall_s", 8, 2), ("cpu s", "cpu_s", 8, 2), ("held MB", "held_mb", 8, 0)]
_CREATION += [("RSS MB", "rss_mb", 8, 0), ("peak MB", "peak_mb", 8, 0)]
_SNAPSHOT = [("dump s", "snapshot_cpu_s", 7, 2), ("pickle MB", "pickle_mb", 10, 1), ("lz4 MB", "lz4_mb", 7, 1)]
_SNAPSHOT += [("load s", "restore_cpu_s", 7, 2)]
_STORE_CREATION = [("wall s", "wall_s", 8, 2), ("cpu s", "cpu_s", 8, 2), ("RSS MB", "rss_mb", 8, 0)]
_STORE_CREATION += [("peak MB", "peak_mb", 8, 0), ("store MB", "store_mb", 9, 1)]


def _table(results: dict, key: str, title: str, measure: str, profiles: list, sizes: list, columns: list) -> None:
    """Measure each profile and size in a child process, print a row of `columns` each, keep them in `results`."""
    print(f"\n## {title}\n")
    print(f"{'profile':<10} {'size':>7} " + " ".join(f"{heading:>{width}}" for heading, _, width, _ in columns))
    results[key] = {}
    for profile in profiles:
        for size in sizes:
            row = results[key][f"{profile}/{size}"] = _in_child(measure, profile, size)
            if "error" in row:
                print(f"{profile:<10} {size:>7} failed: {row['error']}")
                continue
            cells = " ".join(f"{row[field]:>{width}.{decimals}f}" for _, field, width, decimals in columns)
            print(f"{profile:<10} {size:>7} {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="25,1000,100000", help="sizes to create (none: skip creation)")
    parser.add_argument("--profiles", default=",".join(PROFILES))
    parser.add_argument("--big", type=int, default=100_000, help="the size calls are compared at, against 25")
    parser.add_argument("--sandboxes", type=int, default=200, help="default sandboxes held at once (0: skip)")
    parser.add_argument("--snapshots", action="store_true", help="also time the snapshot of each size's world")
    parser.add_argument(
        "--sqlite",
        action="store_true",
        help="also create each size on the default store (SQLite), and time calls there",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",") if size]
    profiles = [p for p in options.profiles.split(",") if p]
    results: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
    }
    print(f"# bench/worlds.py, {results['date']}, {results['machine']}")
    _table(results, "creation", "Creating a sandbox (one profile)", "measure_creation", profiles, sizes, _CREATION)
    if options.snapshots:
        title = "The snapshot a durable store keeps of it (pickled as columns, LZ4-compressed), and loading it"
        _table(results, "snapshots", title, "measure_snapshot", profiles, sizes, _SNAPSHOT)
    if options.sqlite:
        title = "Creating a sandbox on the default store (SQLite: the world, its snapshot, the store's write)"
        _table(results, "sqlite_creation", title, "measure_store_creation", profiles, sizes, _STORE_CREATION)
    for store in ("memory", "sqlite") if options.sqlite else ("memory",):
        print(f"\n## Calls at size 25 against size {options.big}, {store} store (microseconds per call, median of")
        print(f"## {CALL_REPEATS}, both worlds in one process, timed in alternation)\n")
        key = "calls" if store == "memory" else f"calls_{store}"
        results[key] = {}
        for profile in profiles:
            rows = _in_child("measure_calls", profile, options.big, store)
            results[key][profile] = rows
            if "error" in rows:
                print(f"{profile}: failed: {rows['error']}")
                continue
            print(f"{profile}:")
            for name, (at_25, at_big) in rows.items():
                ratio = at_big / at_25 if at_25 else float("nan")
                print(f"  {name:<40} {at_25:>10.1f} {at_big:>10.1f}   x{ratio:.2f}")
    if options.sandboxes:
        held = _in_child("measure_default_sandboxes", options.sandboxes)
        results["default_sandboxes"] = held
        print(f"\n## {options.sandboxes} default sandboxes (size 25, every profile)\n")
        print(
            json.dumps(held)
            if "error" in held
            else f"held {held['held_mb']:.0f} MB (process RSS {held['rss_mb']:.0f} MB),"
            f" created in {held['wall_s']:.1f} s"
        )
        served = _in_child("measure_server_sandboxes", options.sandboxes)
        results["server_sandboxes"] = served
        print(
            json.dumps(served)
            if "error" in served
            else f"in a whole server: RSS {served['rss_mb']:.0f} MB ({served['rss_before_mb']:.0f} MB with the"
            f" default sandbox alone)"
        )
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
