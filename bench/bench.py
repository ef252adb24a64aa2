"""Benchmark fleetbox against Stoplight Prism on openapi/trimble.yaml: same spec, same load, same machine,
same run.

Three scenarios, each driven by wrk for a fixed time after a short warm-up:
  - GET a vehicle page      GET /vehicles?limit=20
  - GET one vehicle         GET /vehicles?offset=k&limit=1 (k cycles; the documented way to read one)
  - batch POST of 10        POST /vehicles with 10 new vehicles each time (unique ids per request)

Each server runs alone, pinned to CPU 0 while wrk runs on CPU 1 (when `taskset` and two CPUs exist).
Prints requests/s, p50 and p99 latency, and fleetbox/Prism ratios; also start-up time and memory.

    python bench/bench.py [--duration 5] [--connections 32] [--json results.json]

Needs `wrk` (apt-get install wrk) and `npm`; Prism is installed into bench/.prism on first use.
Traffic goes to 127.0.0.1 only, and every run is bounded by --duration.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "trimble.yaml"
PRISM_HOME = ROOT / "bench" / ".prism"
# 5.14.2 is the last Prism release that runs on Node 20 (5.15+ wants Node 24).
PRISM_PACKAGE = "@stoplight/prism-cli@5.14.2"
TRIMBLE = "/trimble/api/assets/v1"

ONE_VEHICLE_LUA = """
function init(args) prefix = args[1]; n = 0 end
function request()
  n = n + 1
  return wrk.format("GET", prefix .. "/vehicles?offset=" .. (n % 25) .. "&limit=1")
end
"""

BATCH_POST_LUA = """
local started = 0
function setup(thread) started = started + 1; thread:set("tid", started) end
function init(args)
  prefix = args[1]; n = 0
  -- wrk.format replaces its default headers when given some, so carry the token over.
  headers = {["Content-Type"] = "application/json"}
  for name, value in pairs(wrk.headers) do headers[name] = value end
end
function request()
  n = n + 1
  local items = {}
  for i = 1, 10 do
    items[i] = string.format('{"vehicleId":"b%d-%d-%d","Name":"bench %d %d %d"}', tid, n, i, tid, n, i)
  end
  return wrk.format("POST", prefix .. "/vehicles", headers, "[" .. table.concat(items, ",") .. "]")
end
"""


@dataclass
class Measurement:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int


@dataclass
class Target:
    """A running server and how to reach its trimble API."""

    name: str
    process: subprocess.Popen
    root: str
    prefix: str
    token: str
    startup_seconds: float
    fresh_token: Callable[[], str]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pinned(cpu: int) -> list[str]:
    """A `taskset` prefix when the machine has a spare CPU for the load generator."""
    return ["taskset", "-c", str(cpu)] if shutil.which("taskset") and (os.cpu_count() or 1) >= 2 else []


def ensure_prism() -> Path:
    binary = PRISM_HOME / "node_modules" / ".bin" / "prism"
    if not binary.exists():
        if not shutil.which("npm"):
            sys.exit("bench: npm is needed to install Prism")
        print(f"installing {PRISM_PACKAGE} into {PRISM_HOME} ...", flush=True)
        PRISM_HOME.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(PRISM_HOME),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                PRISM_PACKAGE,
            ],
            check=True,
            timeout=600,
        )
    return binary


def wait_until(ready, timeout: float = 60) -> float:
    """Poll `ready()` until it holds; return how long that took."""
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        try:
            if ready():
                return time.perf_counter() - began
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise TimeoutError("server did not come up")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def fleetbox(log) -> Target:
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    began = time.perf_counter()
    process = subprocess.Popen(
        pinned(0) + [sys.executable, "-m", "mockserver", "serve", "--port", str(port)], stdout=log, stderr=log
    )
    try:
        wait_until(lambda: httpx.get(f"{root}/__sandbox/health").status_code == 200)
        startup = time.perf_counter() - began

        def fresh_token() -> str:
            """A token for a new sandbox of its own, so a write-heavy scenario starts from the seed world."""
            sandbox = httpx.post(f"{root}/__sandbox/sandboxes", json={}).json()
            key = next(a for a in sandbox["credentials"]["trimble"] if a["type"] == "direct")["apiKey"]
            return httpx.post(f"{root}{TRIMBLE}/accounts/authenticate", json={"apiKey": key}).json()["token"]

        yield Target("fleetbox", process, root, TRIMBLE, fresh_token(), startup, fresh_token)
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def prism(log) -> Target:
    binary = ensure_prism()
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    began = time.perf_counter()
    process = subprocess.Popen(
        pinned(0) + [str(binary), "mock", str(SPEC), "-h", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log
    )
    try:
        wait_until(lambda: httpx.get(f"{root}/vehicles", headers={"Authorization": "Bearer x"}).status_code == 200)
        yield Target("prism", process, root, "", "x", time.perf_counter() - began, lambda: "x")
    finally:
        process.terminate()
        process.wait(timeout=10)


def wrk(
    url: str, token: str, args: argparse.Namespace, script: str | None, duration: float, prefix: str
) -> Measurement:
    command = pinned(1) + [
        "wrk",
        "-t",
        str(args.threads),
        "-c",
        str(args.connections),
        "-d",
        f"{duration:g}s",  # wrk reads "5s", not "5.0s"
        "--latency",
        # Prism compares the scheme name case-sensitively; fleetbox accepts any case, as the vendor does.
        "-H",
        f"Authorization: Bearer {token}",
    ]
    if script:
        command += ["-s", script]
    command += [url]
    if script:
        command += ["--", prefix]
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    return parse_wrk(output)


def parse_wrk(output: str) -> Measurement:
    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Measurement(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


def run_scenarios(target: Target, args: argparse.Namespace, scripts: dict[str, str]) -> dict[str, Measurement]:
    base, prefix = target.root + target.prefix, target.prefix
    scenarios = {
        "GET vehicle page": (f"{base}/vehicles?limit=20", None, target.token),
        "GET one vehicle": (target.root, scripts["one"], target.token),
        "POST batch of 10": (target.root, scripts["post"], target.fresh_token()),
    }
    results = {}
    for label, (url, script, token) in scenarios.items():
        wrk(url, token, args, script, 1, prefix)  # warm-up, not counted
        results[label] = wrk(url, token, args, script, args.duration, prefix)
        print(f"  {target.name:<9} {label:<18} {results[label].requests_per_second:9.1f} req/s", flush=True)
    return results


def report(measured: dict[str, dict], extras: dict[str, dict]) -> None:
    print()
    print(
        f"{'scenario':<18} | {'fleetbox req/s':>14} {'p50 ms':>8} {'p99 ms':>8} | {'Prism req/s':>11} {'p50 ms':>8} "
        f"{'p99 ms':>8} | fleetbox/Prism"
    )
    print("-" * 104)
    for label in measured["fleetbox"]:
        ours, theirs = measured["fleetbox"][label], measured["prism"][label]
        ratio = ours.requests_per_second / theirs.requests_per_second
        print(
            f"{label:<18} | {ours.requests_per_second:14.1f} {ours.p50_ms:8.1f} {ours.p99_ms:8.1f} | "
            f"{theirs.requests_per_second:11.1f} {theirs.p50_ms:8.1f} {theirs.p99_ms:8.1f} | {ratio:6.2f}x"
        )
        for name, result in (("fleetbox", ours), ("Prism", theirs)):
            if result.non_2xx:
                print(
                    f"{'':<18}   NOT COMPARABLE: {name} answered {result.non_2xx} of {result.requests} requests with a "
                    "non-2xx status"
                )
    print()
    for name, extra in extras.items():
        print(
            f"{name:<9} start-up to first answer {extra['startup_seconds']:.2f} s, memory after the load "
            f"{extra['rss_mb']:.0f} MB"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5, help="seconds of measured load per scenario (default 5)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is needed (apt-get install wrk)")
    ensure_prism()

    measured: dict[str, dict] = {}
    extras: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as scratch:
        scripts = {"one": str(Path(scratch) / "one.lua"), "post": str(Path(scratch) / "post.lua")}
        Path(scripts["one"]).write_text(ONE_VEHICLE_LUA)
        Path(scripts["post"]).write_text(BATCH_POST_LUA)
        log = open(Path(scratch) / "servers.log", "w")
        for start in (fleetbox, prism):
            with start(log) as target:
                print(f"{target.name}: up in {target.startup_seconds:.2f} s", flush=True)
                measured[target.name] = run_scenarios(target, args, scripts)
                extras[target.name] = {"startup_seconds": target.startup_seconds, "rss_mb": rss_mb(target.process.pid)}
    report(measured, extras)
    if args.json:
        payload = {name: {label: asdict(m) for label, m in results.items()} for name, results in measured.items()}
        args.json.write_text(json.dumps({"scenarios": payload, "servers": extras}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
