"""What a big sandbox's snapshot stops the server's thread for: pickled in process, or by a forked child
(mockserver/engine/forked.py); and the latency of batch POSTs across snapshots either way. In-process, over
SQLite, pinned to one CPU as `bench/bench.py` pins the server (the child shares it); not a timed test.

    PYTHONPATH=. python bench/snapshot_pause.py pause --sizes 1000,25000,45000 [--rounds 3]
    PYTHONPATH=. python bench/snapshot_pause.py posts --size 25000 [--posts 3000] [--every 1000]

`pause`: per trimble size (vehicles per fleet, four fleets), in a process of its own, the calling thread's wall
and CPU time per snapshot, in process and forked in alternating rounds; for the child, its wall time to the
stored snapshot, its CPU and the most memory it held of its own (private dirty pages: the pages copied as it
touched them, and its pickle). `posts`: batch POSTs of 10 vehicles into one big fleet, a snapshot every
`--every` writes, their latency (p50, p99, max) each way.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from request_cost import JSON, TRIMBLE, Client  # noqa: E402

from mockserver.engine import snapshots  # noqa: E402

IN_PROCESS, FORKED = 2**62, 0  # FORK_SNAPSHOT_FROM for either way
WAYS = {"in-process": IN_PROCESS, "forked": FORKED}


def pin() -> None:
    """One CPU, the last, for this process and its children (`bench/bench.py` gives the server one CPU too)."""
    os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})


def measure_pause(size: int, rounds: int) -> None:
    from worlds import _registry, rss_mb

    registry = _registry(("trimble",), "sqlite")
    sandbox = registry.create("big", seed=1, size=size)
    forks = watch_forks()
    rows: dict[str, list[tuple]] = {way: [] for way in WAYS}
    for _ in range(rounds):
        for way, threshold in WAYS.items():
            snapshots.FORK_SNAPSHOT_FROM = threshold
            sandbox.configure_rate_limit("trimble", None)  # one write: a version the store has no snapshot of
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            with sandbox.lock:
                wall, cpu = time.perf_counter(), time.thread_time()
                sandbox._save_snapshot()
                wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
            began = time.perf_counter()
            while sandbox._snapshotting:
                time.sleep(0.001)
            child = ()
            if threshold == FORKED:
                used = resource.getrusage(resource.RUSAGE_CHILDREN)
                child_cpu = used.ru_utime + used.ru_stime - children.ru_utime - children.ru_stime
                child = (time.perf_counter() - began, child_cpu, forks.peak_dirty_mb())
            rows[way].append((wall, cpu, *child))
    megabytes = sandbox._last_snapshot[1] / 2**20
    print(f"size {size} ({4 * size:,} vehicles), snapshot {megabytes:.1f} MB, this process {rss_mb():.0f} MB:")
    for way, measured in rows.items():
        line = f"  {way:10} pause {ms(measured, 0)} ms wall, {ms(measured, 1)} ms CPU"
        if way == "forked":
            line += f"; child: {ms(measured, 2)} ms to stored, {ms(measured, 3)} ms CPU, "
            line += f"{max(row[4] for row in measured):.0f} MB private"
        print(line, flush=True)


def ms(rows: list[tuple], column: int) -> str:
    return "/".join(f"{row[column] * 1000:.1f}" for row in rows)


class watch_forks:  # noqa: N801 - used as a function
    """Every child forked from now on, and the most private dirty memory each reached (sampled every 5 ms)."""

    def __init__(self) -> None:
        self._fork, self._peaks = os.fork, []
        os.fork = self._forking

    def _forking(self) -> int:
        pid = self._fork()
        if pid:
            self._peaks.append(0)
            threading.Thread(target=self._sample, args=(pid, len(self._peaks) - 1), daemon=True).start()
        return pid

    def _sample(self, pid: int, at: int) -> None:
        try:
            while True:
                text = Path(f"/proc/{pid}/smaps_rollup").read_text()
                dirty = sum(int(line.split()[1]) for line in text.splitlines() if line.startswith("Private_Dirty"))
                self._peaks[at] = max(self._peaks[at], dirty / 1024)
                time.sleep(0.005)
        except (OSError, ValueError):
            return  # ended (or a zombie, with no maps left)

    def peak_dirty_mb(self) -> float:
        time.sleep(0.02)
        return self._peaks[-1]


async def measure_posts(size: int, posts: int, every: int, ways: list[str]) -> None:
    from mockserver.app import create_app
    from mockserver.http.context import REGISTRY_KEY
    from mockserver.profiles import vendor_profiles
    from mockserver.settings import Settings

    snapshots.SNAPSHOT_EVERY, snapshots.SNAPSHOT_BYTES_PER_OP = every, 2**40
    trimble = tuple(p for p in vendor_profiles() if p.name == "trimble")
    for way in ways:
        snapshots.FORK_SNAPSHOT_FROM = WAYS[way]
        with tempfile.TemporaryDirectory() as scratch:
            settings = Settings(store=f"sqlite:///{scratch}/store.sqlite", size=size)
            app = create_app(settings, trimble)
            client, sandbox = Client(app), app.app.extensions[REGISTRY_KEY].get("default")
            credentials = (await client.json("GET", "/__sandbox/sandboxes/default"))["credentials"]
            key = next(a["apiKey"] for a in credentials["trimble"] if a["type"] == "direct")
            login = await client.json(
                "POST", f"{TRIMBLE}/accounts/authenticate", json.dumps({"apiKey": key}).encode(), JSON
            )
            headers = [(b"authorization", f"Bearer {login['token']}".encode()), *JSON]
            latencies, since = [], 0  # since: how many POSTs ago the last snapshot began
            cpu, children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
            for n in range(posts):
                body = json.dumps([{"vehicleId": f"p-{n}-{i}", "Name": f"post {n} {i}"} for i in range(10)]).encode()
                last, pickling = sandbox._last_snapshot, "; a child pickling" if sandbox._snapshotting else ""
                began = time.perf_counter()
                status, answer = await client.call("POST", f"{TRIMBLE}/vehicles", body=body, headers=headers)
                latencies.append((time.perf_counter() - began, f"{since}{pickling}"))
                assert status == 200, answer[:300]
                since = 0 if sandbox._last_snapshot != last and sandbox._last_snapshot[0] != last[0] else since + 1
            while sandbox._snapshotting:  # the last child's snapshot stored before its store goes
                time.sleep(0.01)
            cpu = time.process_time() - cpu
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu += used.ru_utime + used.ru_stime - children.ru_utime - children.ru_stime
            latencies.sort()
            p50, p99 = latencies[len(latencies) // 2][0], latencies[int(len(latencies) * 0.99)][0]
            slowest = ", ".join(f"{took * 1000:.0f} ms ({after})" for took, after in reversed(latencies[-5:]))
            print(
                f"{way:10} {posts} POSTs, a snapshot every {every}: p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
                f"max {latencies[-1][0] * 1000:.1f} ms; {cpu / posts * 1e6:.0f} µs CPU per POST (children included)\n"
                f"           slowest (POSTs since a snapshot began): {slowest}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("pause", "posts"))
    parser.add_argument("--sizes", default="1000,25000,45000")
    parser.add_argument("--size", type=int, default=25000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--every", type=int, default=1000)
    parser.add_argument("--ways", default="in-process,forked", help="posts: the ways to measure, in turn")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    pin()
    if args.one is not None:
        measure_pause(args.one, args.rounds)
    elif args.what == "pause":
        for size in map(int, args.sizes.split(",")):  # each in a process of its own: its memory its own
            command = [sys.executable, __file__, "pause", "--one", str(size), "--rounds", str(args.rounds)]
            subprocess.run(command, check=True)
    else:
        asyncio.run(measure_posts(args.size, args.posts, args.every, args.ways.split(",")))


if __name__ == "__main__":
    main()
