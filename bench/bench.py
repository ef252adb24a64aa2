"""Benchmark fleetbox against Stoplight Prism on the vendors' own specs: same load, same machine, warmed
alike, measured in alternating rounds.

Five scenarios, each driven by wrk:
  - trimble page       GET /vehicles?limit=20
  - trimble one        GET /vehicles?offset=k&limit=1 (k cycles; the documented way to read one)
  - trimble POST 10    POST /vehicles with 10 new vehicles each time (unique ids per request)
  - invers page        GET /vehicles?limit=20 (INVERS)
  - hourfleet cars     GET /cars?Limit=20 (Hourfleet, the client application's search)

fleetbox runs as a user starts it (`python -m mockserver serve`), one Prism per spec; every server is
pinned to CPU 0 and wrk to CPU 1 (when `taskset` and two CPUs exist); only one server is under load at a
time. Per scenario both servers get the same warm-up, then measured rounds alternate fleetbox, Prism,
fleetbox, Prism ... Reported: each server's median req/s with its spread (min-max) over the rounds, median
p50/p99, the ratio of the medians; start-up time and memory. Every round's figures also go to --json.

    python bench/bench.py [--warmup 8] [--duration 6] [--rounds 3] [--connections 32] [--json PATH]
                          [--store URL] [--fleetbox-arg ARG ...]

Needs `wrk` (apt-get install wrk) and `npm`; Prism is installed into bench/.prism on first use.
Traffic goes to 127.0.0.1 only, and every run is bounded by its duration.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import bench_summary
import bench_wrk
from bench_servers import (  # noqa: F401 - also the harness bench/store.py uses
    PRISM_PACKAGE,
    ROOT,
    Sandboxes,
    Server,
    ensure_prism,
    free_port,
    pinned,
    rss_mb,
    start_fleetbox,
    start_prism,
    wait_until,
)
from bench_wrk import BATCH_POST_LUA, ONE_VEHICLE_LUA, Measurement  # noqa: F401
from bench_wrk import parse as parse_wrk  # noqa: F401

TRIMBLE = "/trimble/api/assets/v1"
ACCEPT_JSON = ("Accept: application/json",)


@dataclass(frozen=True)
class Scenario:
    label: str
    profile: str
    path: str = ""  # a GET under the API's base path, when no script builds the requests
    script: str | None = None  # a Lua script of bench_wrk.SCRIPTS, given the base path (and an id tag)
    writes: bool = False  # fleetbox then gets a fresh sandbox for every run, starting from the seed world


SCENARIOS = (
    Scenario("trimble page of 20", "trimble", "/vehicles?limit=20"),
    Scenario("trimble one vehicle", "trimble", script="one"),
    Scenario("trimble POST batch 10", "trimble", script="post", writes=True),
    Scenario("invers page of 20", "invers", "/vehicles?limit=20"),
    Scenario("hourfleet 20 cars", "hourfleet", "/cars?Limit=20"),
)
# What Prism must answer with 200 before it counts as started.
READY = {"trimble": "/vehicles", "invers": "/vehicles", "hourfleet": "/cars"}


def wrk(url, token, args, script, duration, prefix, *script_args, headers=ACCEPT_JSON) -> Measurement:
    """One wrk run with wrk on CPU 1 (bench/store.py swaps `pinned` here to run it unpinned)."""
    line = bench_wrk.command(
        url,
        token,
        threads=args.threads,
        connections=args.connections,
        duration=duration,
        script=script,
        script_args=(prefix, *script_args),
        headers=headers,
        pin=pinned(1),
    )
    return bench_wrk.run(line, duration)


class Runner:
    """Runs the scenarios against fleetbox and the Prism of each profile."""

    def __init__(self, args, fleetbox: Server, prisms: dict[str, Server], scripts: dict[str, str], log: Path):
        self.args, self.fleetbox, self.prisms, self.scripts, self.log = args, fleetbox, prisms, scripts, log
        self.sandboxes = Sandboxes(fleetbox.root)
        self.runs = itertools.count(1)

    def scenario(self, scenario: Scenario) -> dict[str, list[Measurement]]:
        """Warm both servers alike, then alternate the measured rounds."""
        shared = None if scenario.writes else self.sandboxes.create()
        samples: dict[str, list[Measurement]] = {"fleetbox": [], "prism": []}
        measure = {
            "fleetbox": lambda seconds: self.on_fleetbox(scenario, seconds, shared),
            "prism": lambda seconds: self.on_prism(scenario, seconds),
        }
        try:
            if self.args.warmup > 0:
                for run in measure.values():
                    run(self.args.warmup)
            for number in range(1, self.args.rounds + 1):
                for name, run in measure.items():
                    measured = run(self.args.duration)
                    samples[name].append(measured)
                    failed = f"  non-2xx {measured.non_2xx}" if measured.non_2xx else ""
                    print(
                        f"  {scenario.label:<22} round {number}  {name:<8} {measured.requests_per_second:9.1f} req/s"
                        f"  p99 {measured.p99_ms:7.1f} ms{failed}",
                        flush=True,
                    )
        finally:
            if shared is not None:
                self.sandboxes.delete(shared)
        return samples

    def on_fleetbox(self, scenario: Scenario, duration: float, shared: dict | None) -> Measurement:
        sandbox = shared or self.sandboxes.create()
        try:
            token = self.sandboxes.token(scenario.profile, sandbox)  # fresh each run: tokens expire
            return self._wrk(self.fleetbox, scenario, self.sandboxes.base_paths[scenario.profile], token, duration)
        finally:
            if shared is None:
                self.sandboxes.delete(sandbox)

    def on_prism(self, scenario: Scenario, duration: float) -> Measurement:
        # Prism accepts any bearer token and serves the spec's paths at its root.
        return self._wrk(self.prisms[scenario.profile], scenario, "", "bench", duration)

    def _wrk(self, server: Server, scenario: Scenario, prefix: str, token: str, duration: float) -> Measurement:
        if not server.alive():
            sys.exit(f"bench: {server.name} stopped (exit {server.process.returncode}); its log:\n{self._log_tail()}")
        url = server.root + (prefix + scenario.path if not scenario.script else "")
        script = self.scripts[scenario.script] if scenario.script else None
        try:
            return wrk(url, token, self.args, script, duration, prefix, f"r{next(self.runs)}-")
        except subprocess.CalledProcessError as failure:
            sys.exit(f"bench: wrk failed against {server.name}: {failure.stderr}\n{self._log_tail()}")

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warmup", type=float, default=8, help="seconds of load per server before each scenario (8)")
    parser.add_argument("--duration", type=float, default=6, help="seconds of load per measured round (default 6)")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds per server and scenario (>= 3)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "last-run.json", help="the record of the run")
    parser.add_argument(
        "--store", help="fleetbox's --store (default: the default SQLite store, in a file of this run's own)"
    )
    parser.add_argument(
        "--fleetbox-arg", action="append", default=[], metavar="ARG", help="one more `serve` argument (repeatable)"
    )
    parser.add_argument("--only", action="append", default=[], metavar="LABEL", help="run only these scenarios")
    args = parser.parse_args(argv)
    if args.rounds < 3:
        parser.error("--rounds must be at least 3: a median and a spread need them")
    if args.duration <= 0 or args.warmup < 0:
        parser.error("--duration must be positive and --warmup not negative")
    unknown = set(args.only) - {s.label for s in SCENARIOS}
    if unknown:
        parser.error(f"unknown scenarios {sorted(unknown)}; known: {[s.label for s in SCENARIOS]}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is needed (apt-get install wrk)")
    ensure_prism()
    scenarios = [s for s in SCENARIOS if not args.only or s.label in args.only]
    with tempfile.TemporaryDirectory(prefix="fleetbox-bench-") as directory, ExitStack() as running:
        scratch = Path(directory)
        scripts = {}
        for name, text in bench_wrk.SCRIPTS.items():
            scripts[name] = str(scratch / f"{name}.lua")
            Path(scripts[name]).write_text(text)
        # The default store's kind, in a file of this run's own: ~/.fleetbox stays untouched and runs never
        # inherit each other's sandboxes.
        store = args.store or f"sqlite:///{scratch / 'store.sqlite'}"
        extra = ["--store", store, *args.fleetbox_arg]
        log_path = scratch / "servers.log"
        log = running.enter_context(open(log_path, "w"))
        fleetbox = start_fleetbox(log, extra)
        running.callback(fleetbox.stop)
        print(f"fleetbox: up in {fleetbox.startup_seconds:.2f} s ({' '.join(extra)})", flush=True)
        prisms: dict[str, Server] = {}
        for profile in dict.fromkeys(s.profile for s in scenarios):
            prisms[profile] = start_prism(profile, READY[profile], log)
            running.callback(prisms[profile].stop)
            print(f"{prisms[profile].name}: up in {prisms[profile].startup_seconds:.2f} s", flush=True)
        runner = Runner(args, fleetbox, prisms, scripts, log_path)
        results = [
            bench_summary.compare(s.label, s.profile, runner.scenario(s)) | {"definition": vars(s)} for s in scenarios
        ]
        servers = {
            server.name: {
                "startup_seconds": round(server.startup_seconds, 3),
                "rss_mb": round(rss_mb(server.process.pid)),
            }
            for server in (fleetbox, *prisms.values())
        }
    settings = {
        "warmup_seconds": args.warmup,
        "round_seconds": args.duration,
        "rounds": args.rounds,
        "connections": args.connections,
        "wrk_threads": args.threads,
        "fleetbox_args": ["--store", args.store or "sqlite (a scratch file)", *args.fleetbox_arg],
        "prism": PRISM_PACKAGE,
        "pinned": {"servers": pinned(0), "wrk": pinned(1)},
        "order": "per scenario: warm fleetbox, warm Prism, then rounds alternating fleetbox, Prism",
    }
    print()
    print(bench_summary.table(results))
    print()
    for name, figures in servers.items():
        startup, memory = figures["startup_seconds"], figures["rss_mb"]
        print(f"{name:<16} start-up to first answer {startup:.2f} s, memory after the load {memory} MB")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(bench_summary.record(settings, servers, results), indent=2) + "\n")
    print(f"\nwritten to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
