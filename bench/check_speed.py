"""How long the three profiles' full checks take against the sandbox, at default settings.

    python bench/check_speed.py [--runs 3] [--profile trimble ...] [--json results.json]

Starts `fleetbox serve` on a free loopback port, then runs `fleetbox check <profile>` against it (a
borrowed sandbox, default settings, a fixed `--seed`) `--runs` times per profile, and prints the median
of each profile's wall time, of the check's CPU time (its Schemathesis run included) and of the
server's CPU time, and the median total. Target (issue 14): the three full checks together under 45 s
of wall time on a 2-core machine.

Wall time depends on what else the machine runs; CPU time (check plus server) less so, and it is what
an idle machine's wall time approaches, since the check and the server mostly take turns. On a shared
machine neither is steady: the same pure-Python loop took from 4.0 to 5.8 CPU-seconds here within a
minute, so compare versions in turns (A, B, A, B), not against figures from another hour.
`--no-parallel-contract` times runs with the contract layer after the scenario rules, not beside them on a
second borrowed sandbox (conformance/apart.py), as the check does by default on a machine of two cores.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conformance.contract import contract_of  # noqa: E402

PROFILES = ("trimble", "invers", "hourfleet")
TARGET_SECONDS = 45
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def process_cpu(pid: int) -> float:
    """User and system CPU seconds a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def start_server(scratch: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    # The default kind of store (SQLite), but a file of its own: the shared ~/.fleetbox store may hold
    # what another version of fleetbox wrote, and other servers' sandboxes would weigh on the timing.
    store = f"sqlite:///{scratch}/store.sqlite"
    server = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", "--port", str(port), "--store", store],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/__sandbox/health", timeout=2).status_code == 200:
                return server, url
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("fleetbox serve did not start within 60 s")


def one_check(server: subprocess.Popen, url: str, profile: str, seed: int, extra: tuple[str, ...] = ()) -> dict:
    base = url + contract_of(f"{profile}.yaml").base_path
    server_before, check_before, started = process_cpu(server.pid), children_cpu(), time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "mockserver", "check", profile, "--base-url", base, "--seed", str(seed), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    wall = time.monotonic() - started
    # The server process is not our waited-for child: its CPU comes from /proc. The check's (and its
    # Schemathesis subprocess's) is in our children's usage.
    server_cpu, check_cpu = process_cpu(server.pid) - server_before, children_cpu() - check_before
    summary = next((line for line in run.stdout.splitlines() if " rules: " in line), run.stdout[-300:])
    return {"wall": wall, "check_cpu": check_cpu, "server_cpu": server_cpu, "exit": run.returncode, "summary": summary}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per profile (medians are reported; default 3)")
    parser.add_argument("--profile", action="append", choices=PROFILES, help="only these profiles (default all)")
    parser.add_argument("--seed", type=int, default=1, help="Schemathesis seed of every run (default 1)")
    parser.add_argument("--json", type=Path, help="also write every run's figures here")
    parser.add_argument(
        "--no-parallel-contract",
        action="store_true",
        help="pass --no-parallel-contract to each check (not a default setting)",
    )
    args = parser.parse_args()
    profiles = args.profile or list(PROFILES)
    # Timed as installed: an environment with PYTHONDONTWRITEBYTECODE (this one has it) would otherwise
    # make each of a check's processes compile the tree's modules again (0.1 s of CPU each).
    compileall.compile_dir(ROOT / "conformance", quiet=1)
    compileall.compile_dir(ROOT / "mockserver", quiet=1)
    scratch = tempfile.TemporaryDirectory()
    server, url = start_server(scratch.name)
    runs: dict[str, list[dict]] = {profile: [] for profile in profiles}
    try:
        for number in range(args.runs):
            for profile in profiles:  # interleaved, so a busy minute weighs on every profile alike
                extra = ("--no-parallel-contract",) if args.no_parallel_contract else ()
                result = one_check(server, url, profile, args.seed, extra)
                runs[profile].append(result)
                print(
                    f"run {number + 1} {profile:<9} wall {result['wall']:6.1f}s check CPU {result['check_cpu']:5.1f}s "
                    f"server CPU {result['server_cpu']:5.1f}s  exit {result['exit']}  {result['summary']}",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
        scratch.cleanup()
    print(f"\nmedians of {args.runs} runs (load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs):")
    totals = {"wall": 0.0, "cpu": 0.0}
    for profile in profiles:
        wall = statistics.median(r["wall"] for r in runs[profile])
        cpu = statistics.median(r["check_cpu"] + r["server_cpu"] for r in runs[profile])
        totals["wall"] += wall
        totals["cpu"] += cpu
        print(f"  {profile:<9} wall {wall:6.1f}s   CPU (check + server) {cpu:6.1f}s")
    verdict = "within" if totals["wall"] < TARGET_SECONDS else "over"
    print(f"  {'together':<9} wall {totals['wall']:6.1f}s   CPU (check + server) {totals['cpu']:6.1f}s")
    print(f"  the wall time is {verdict} the {TARGET_SECONDS} s target")
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "totals": totals}, indent=2) + "\n")
    failed = [profile for profile in profiles if any(r["exit"] != 0 for r in runs[profile])]
    if failed:
        print(f"checks that did not pass against the sandbox: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
