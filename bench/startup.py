"""Where fleetbox's start-up time goes: `fleetbox serve` until it answers its first vendor request, the pytest
plugin's in-process server until it is ready, and the phases of both (imports, spec checks, world, Connexion).

    python bench/startup.py [--runs N]

Wall-clock times depend on what else the machine runs; CPU seconds (user + system) much less, so both are
shown, as medians of N fresh processes. Each `serve` keeps its store and spec cache in a scratch folder:
first over an empty one (a first start ever: the default world is generated, the specs parsed), then again
over the same (a restart, the usual case). Part of `make bench`; never a test.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
# Where the parsed specs are cached (conformance/spec_cache.py); the bench keeps its own.
CACHE_VARIABLE = "FLEETBOX_CACHE_DIR"
# The phases of start-up, timed inside one fresh interpreter (the same steps `fleetbox serve` takes).
PHASES = r"""
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
marks = [("interpreter", cpu(), time.perf_counter())]
def mark(name):
    marks.append((name, cpu(), time.perf_counter()))
sys.modules.setdefault("httpx._main", None)  # as `fleetbox serve` does (mockserver/cli.py)
import connexion, uvicorn
mark("import Connexion, Flask, uvicorn")
import mockserver.app
mark("import mockserver (profiles, fixtures, Faker)")
from mockserver.engine import registry
create = registry.SandboxRegistry.create
world = [0.0]
def timed(self, *args, **kwargs):
    started = cpu()
    try:
        return create(self, *args, **kwargs)
    finally:
        world[0] += cpu() - started
registry.SandboxRegistry.create = timed
app = mockserver.app.create_app()
mark("create_app")
default_world = world[0]
from mockserver.pytest_plugin import start_in_process
began = (cpu(), time.perf_counter())
server = start_in_process()
mark("a second in-process server (imports done)")
server.close()
second = [marks[-1][1] - began[0], marks[-1][2] - began[1]]
print(json.dumps({"marks": marks, "world": default_world, "second": second}))
"""
IN_PROCESS = r"""
import json, resource, time
started = time.perf_counter()
from mockserver.pytest_plugin import start_in_process
server = start_in_process()
import httpx
answer = httpx.get(server.url + "/trimble/api/assets/v1/vehicles")
ready = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
server.close()
print(json.dumps({"wall": ready, "cpu": usage.ru_utime + usage.ru_stime, "status": answer.status_code}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def child_cpu(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def serve_once(scratch: Path) -> tuple[float, float]:
    """Seconds from starting `fleetbox serve` to its first vendor answer, and the CPU seconds it used by then.

    Its store and spec cache are in `scratch` (never the user's): an empty one is a first start ever (the
    default world is generated, the specs parsed), a used one a restart (both are read back)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/trimble/api/assets/v1/vehicles"
    store = f"sqlite:///{scratch / 'store.sqlite'}"
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", "--port", str(port), "--store", store],
        cwd=ROOT,
        env={**child_env(), CACHE_VARIABLE: str(scratch / "cache")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                httpx.get(url, timeout=1)
                return time.perf_counter() - started, child_cpu(process.pid)
            except httpx.TransportError:
                if process.poll() is not None or time.perf_counter() - started > 60:
                    raise RuntimeError("fleetbox serve did not start") from None
                time.sleep(0.005)
    finally:
        process.terminate()
        process.wait(timeout=10)


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def python(code: str, cache: Path) -> dict:
    env = {**child_env(), CACHE_VARIABLE: str(cache)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def import_shares(top: int = 12) -> list[tuple[str, float]]:
    """Self import time per top-level package (`python -X importtime`), largest first."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import mockserver.cli, mockserver.app, uvicorn"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"},
    )
    totals: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if found:
            totals[found[2].split(".")[0]] += int(found[1])
    whole = sum(totals.values())
    return [(name, share / whole) for name, share in totals.most_common(top)]


def median(values: list[float]) -> str:
    return f"{statistics.median(values):6.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per measurement (default 3)")
    runs = parser.parse_args().runs

    # An installed fleetbox has its bytecode compiled; a source tree run with PYTHONDONTWRITEBYTECODE would
    # compile every module on every start (about 0.35 CPU seconds) and measure that instead.
    compileall.compile_dir(ROOT / "mockserver", quiet=2)
    compileall.compile_dir(ROOT / "conformance", quiet=2)
    compileall.compile_dir(ROOT / "fixtures", quiet=2)
    with tempfile.TemporaryDirectory(prefix="fleetbox-startup-") as scratch:
        firsts, restarts = [], []
        for run in range(runs):
            used = Path(scratch) / str(run)
            used.mkdir()
            firsts.append(serve_once(used))
            restarts.append(serve_once(used))
        cache = Path(scratch) / "0" / "cache"
        in_process = [python(IN_PROCESS, cache) for _ in range(runs)]
        phases = [python(PHASES, cache) for _ in range(runs)]

    print(f"fleetbox start-up (medians of {runs} fresh processes; load average {os.getloadavg()[0]:.1f})\n")
    print(f"{'':58} {'wall s':>6}  {'CPU s':>6}")
    for label, serves in (
        ("fleetbox serve, start to first vendor answer (target 1.0)", restarts),
        ("  its first start ever (world generated, specs parsed)", firsts),
    ):
        print(f"{label:58} {median([s[0] for s in serves])}  {median([s[1] for s in serves])}")
    print(
        f"{'plugin in-process server, from its import (target 0.5)':58} {median([r['wall'] for r in in_process])}  "
        f"{median([r['cpu'] for r in in_process])}"
    )
    print(
        f"{'  once the imports are done (a second server)':58} {median([p['second'][1] for p in phases])}  "
        f"{median([p['second'][0] for p in phases])}"
    )
    print("\nphases of one start (CPU s):")
    # The last mark is the second server, shown above.
    names = [name for name, _, _ in phases[0]["marks"]][1:-1]
    for index, name in enumerate(names, start=1):
        spent = [p["marks"][index][1] - p["marks"][index - 1][1] for p in phases]
        print(f"  {name:56} {median(spent)}")
        if name == "create_app":
            print(f"    {'of which the default sandbox world':54} {median([p['world'] for p in phases])}")
    print(f"  {'(the interpreter itself, before any import)':56} {median([p['marks'][0][1] for p in phases])}")
    print("\nself import time by package (share of all imports):")
    for name, share in import_shares():
        print(f"  {name:30} {100 * share:5.1f}%")


if __name__ == "__main__":
    main()
