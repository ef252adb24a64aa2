"""What the store costs: fleetbox over each store (memory, SQLite, Redis), with one worker and with two,
under the same load, in alternating rounds; and start-up over a store that holds 50 sandboxes.

    python bench/store.py [--rounds 3] [--duration 5] [--connections 32] [--json results.json]
                          [--only memory sqlite ...] [--no-startup]

Every configuration is started once and warmed alike; then each round measures every configuration in
turn, so a machine that gets busier midway hurts all of them, not the last one. Reported: the median of
the rounds with their spread (min-max), and each configuration against memory with one worker.

Single-worker configurations run pinned to CPU 0 with wrk on CPU 1, as bench/bench.py does. Two workers
cannot be pinned apart from wrk on a 2-core machine; the worker comparison therefore runs one worker and
two workers unpinned, wrk competing with them alike, which is the honest proxy this machine allows.
Needs wrk and redis-server; traffic goes to 127.0.0.1 only, each run bounded by --duration.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench as harness  # noqa: E402 - bench/bench.py, beside this file

TRIMBLE = harness.TRIMBLE
_RUNS = itertools.count(1)


@dataclass(frozen=True)
class Configuration:
    name: str
    store: str  # "memory", "sqlite" or "redis"
    workers: int
    pinned: bool


CONFIGURATIONS = (
    Configuration("memory", "memory", 1, True),
    Configuration("sqlite", "sqlite", 1, True),
    Configuration("redis", "redis", 1, True),
    Configuration("sqlite, 1 worker, unpinned", "sqlite", 1, False),
    Configuration("sqlite, 2 workers, unpinned", "sqlite", 2, False),
    Configuration("redis, 1 worker, unpinned", "redis", 1, False),
    Configuration("redis, 2 workers, unpinned", "redis", 2, False),
)


class Running:
    """One configuration's server (and its own redis-server when it needs one)."""

    def __init__(self, configuration: Configuration, scratch: Path) -> None:
        self.configuration = configuration
        self.port = harness.free_port()
        self.root = f"http://127.0.0.1:{self.port}"
        self.redis = None
        store = configuration.store
        if store == "sqlite":
            store = f"sqlite:///{scratch / (configuration.name.replace(' ', '_').replace(',', '') + '.sqlite')}"
        elif store == "redis":
            self.redis = start_redis(scratch)
            store = f"redis://127.0.0.1:{self.redis[1]}/0"
        command = [sys.executable, "-m", "mockserver", "serve", "--port", str(self.port), "--store", store]
        command += ["--workers", str(configuration.workers), "--fresh"]
        prefix = harness.pinned(0) if configuration.pinned else []
        self.log = open(scratch / f"{self.port}.log", "w")
        self.process = subprocess.Popen(prefix + command, stdout=self.log, stderr=self.log)
        harness.wait_until(lambda: httpx.get(f"{self.root}/__sandbox/health").status_code == 200, timeout=120)
        # Reads and writes each in a sandbox of their own: the batches a write scenario adds would otherwise
        # grow the world the read scenario pages through.
        self.tokens = {"read": fresh_token(self.root), "write": fresh_token(self.root)}

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        if self.redis is not None:
            self.redis[0].terminate()
            self.redis[0].wait(timeout=10)


def fresh_token(root: str) -> str:
    sandbox = httpx.post(f"{root}/__sandbox/sandboxes", json={}, timeout=60).json()
    key = next(a for a in sandbox["credentials"]["trimble"] if a["type"] == "direct")["apiKey"]
    return httpx.post(f"{root}{TRIMBLE}/accounts/authenticate", json={"apiKey": key}, timeout=60).json()["token"]


def start_redis(scratch: Path) -> tuple[subprocess.Popen, int]:
    port = harness.free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(scratch)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    return process, port


def measure(running: Running, scenario: str, args, scripts: dict[str, str], duration: float):
    if scenario == "GET vehicle page":
        url, script, token = f"{running.root}{TRIMBLE}/vehicles?limit=20", None, running.tokens["read"]
    else:
        url, script, token = running.root, scripts["post"], running.tokens["write"]
    wrk_args = argparse.Namespace(threads=args.threads, connections=args.connections)
    if running.process.poll() is not None:
        sys.exit(f"bench/store.py: {running.configuration.name} stopped: {running.log.name}")
    try:
        return _wrk(running, url, script, token, wrk_args, duration)
    except subprocess.CalledProcessError as failure:
        log = Path(running.log.name).read_text()[-2000:]
        sys.exit(f"bench/store.py: wrk failed against {running.configuration.name}: {failure.stderr}\n{log}")


def _wrk(running: Running, url: str, script: str | None, token: str, wrk_args, duration: float):
    # A tag of its own for every run's vehicle ids: a batch of ids an earlier run added is refused as
    # duplicates, which writes nothing and would flatter the store that served it.
    tag = (f"r{next(_RUNS)}-",) if script else ()
    if not running.configuration.pinned:
        # harness.wrk pins wrk to CPU 1; unpinned configurations let it run anywhere, like the servers.
        saved, harness.pinned = harness.pinned, lambda cpu: []
        try:
            return harness.wrk(url, token, wrk_args, script, duration, TRIMBLE, *tag)
        finally:
            harness.pinned = saved
    return harness.wrk(url, token, wrk_args, script, duration, TRIMBLE, *tag)


def startup_over_stored_sandboxes(scratch: Path, count: int = 50) -> dict:
    """Time from start to the first vendor answer on a stored sandbox, with `count` sandboxes stored."""
    store = f"sqlite:///{scratch / 'fifty.sqlite'}"
    port = harness.free_port()
    root = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "mockserver", "serve", "--port", str(port), "--store", store]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    harness.wait_until(lambda: httpx.get(f"{root}/__sandbox/health").status_code == 200, timeout=120)
    made = [httpx.post(f"{root}/__sandbox/sandboxes", json={}, timeout=60).json() for _ in range(count - 1)]
    key = next(a for a in made[-1]["credentials"]["trimble"] if a["type"] == "direct")["apiKey"]
    empty_began = time.perf_counter()
    process.terminate()
    process.wait(timeout=30)
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def answered() -> bool:
        response = httpx.post(f"{root}{TRIMBLE}/accounts/authenticate", json={"apiKey": key}, timeout=5)
        return response.status_code == 200

    harness.wait_until(answered, timeout=120)
    seconds = time.perf_counter() - began
    process.terminate()
    process.wait(timeout=30)
    del empty_began
    return {"sandboxes": count, "seconds_to_first_vendor_answer": round(seconds, 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", type=Path, default=Path("bench/results/store.json"))
    names = [c.name for c in CONFIGURATIONS]
    parser.add_argument("--only", nargs="+", choices=names, help="these configurations alone (memory always)")
    parser.add_argument("--no-startup", action="store_true", help="leave out start-up over stored sandboxes")
    args = parser.parse_args()
    chosen = [c for c in CONFIGURATIONS if not args.only or c.name in args.only or c.name == "memory"]
    for tool in ("wrk", "redis-server"):
        if not shutil.which(tool):
            sys.exit(f"bench/store.py: {tool} is needed")
    scenarios = ("GET vehicle page", "POST batch of 10")
    samples: dict[str, dict[str, list]] = {c.name: {s: [] for s in scenarios} for c in chosen}
    with tempfile.TemporaryDirectory() as directory:
        scratch = Path(directory)
        scripts = {"post": str(scratch / "post.lua")}
        Path(scripts["post"]).write_text(harness.BATCH_POST_LUA)
        startup = {} if args.no_startup else startup_over_stored_sandboxes(scratch)
        if startup:
            seconds = startup["seconds_to_first_vendor_answer"]
            print(f"start-up over {startup['sandboxes']} stored sandboxes: {seconds} s")
        running = [Running(c, scratch) for c in chosen]
        try:
            for each in running:  # warmed alike
                for scenario in scenarios:
                    measure(each, scenario, args, scripts, 2)
            for round_number in range(args.rounds):
                for each in running if round_number % 2 == 0 else reversed(running):
                    for scenario in scenarios:
                        result = measure(each, scenario, args, scripts, args.duration)
                        samples[each.configuration.name][scenario].append(result)
                        print(
                            f"  round {round_number + 1} {each.configuration.name:<28} {scenario:<17} "
                            f"{result.requests_per_second:8.1f} req/s  p99 {result.p99_ms:6.1f} ms",
                            flush=True,
                        )
        finally:
            for each in running:
                each.stop()
    summary = summarise(samples)
    report(summary, startup)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    raw = {name: {s: [asdict(m) for m in ms] for s, ms in per.items()} for name, per in samples.items()}
    args.json.write_text(json.dumps({"summary": summary, "startup": startup, "rounds": raw}, indent=2))
    print(f"\nwritten to {args.json}")
    return 0


def summarise(samples: dict[str, dict[str, list]]) -> dict:
    summary = {}
    for name, per in samples.items():
        summary[name] = {}
        for scenario, measured in per.items():
            rates = [m.requests_per_second for m in measured]
            summary[name][scenario] = {
                "median_rps": round(statistics.median(rates), 1),
                "min_rps": round(min(rates), 1),
                "max_rps": round(max(rates), 1),
                "median_p99_ms": round(statistics.median(m.p99_ms for m in measured), 1),
                "non_2xx": sum(m.non_2xx for m in measured),
            }
    return summary


def report(summary: dict, startup: dict) -> None:
    def ratio(name: str, scenario: str, base: str) -> str:
        if base not in summary:  # left out with --only
            return ""
        return f"{summary[name][scenario]['median_rps'] / summary[base][scenario]['median_rps']:.2f}x of {base}"

    print(f"\n{'configuration':<28} {'scenario':<17} {'median req/s':>12} {'spread':>17} {'p99 ms':>7}  relative")
    for name, per in summary.items():
        base = "memory" if "unpinned" not in name else name.split(",")[0] + ", 1 worker, unpinned"
        for scenario, figures in per.items():
            spread = f"{figures['min_rps']:.0f}-{figures['max_rps']:.0f}"
            note = "" if not figures["non_2xx"] else f"  ({figures['non_2xx']} non-2xx!)"
            print(
                f"{name:<28} {scenario:<17} {figures['median_rps']:12.1f} {spread:>17} {figures['median_p99_ms']:7.1f}"
                f"  {ratio(name, scenario, base)}{note}"
            )


if __name__ == "__main__":
    sys.exit(main())
