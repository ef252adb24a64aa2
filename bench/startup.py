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
# The phases of a restart, timed inside one fresh interpreter (the same steps `fleetbox serve` takes, over the
# store a `serve` left behind, given as argv[1]), then what a first start would spend generating the world.
PHASES = r"""
import asyncio, gc, json, resource, sys, time, warnings
gc.disable()  # as `fleetbox serve` does until its app is built (mockserver/cli.py)
warnings.simplefilter("ignore")
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
marks = [("interpreter", cpu(), time.perf_counter())]
def mark(name):
    marks.append((name, cpu(), time.perf_counter()))
sys.modules.setdefault("httpx._main", None)  # as `fleetbox serve` does (mockserver/cli.py)
from mockserver.deferred import DEFERRED_BY_SERVE, defer
defer(*DEFERRED_BY_SERVE)  # as `fleetbox serve` does
import connexion, uvicorn
mark("import Connexion, Flask, uvicorn")
import mockserver.app
from mockserver.settings import Settings
mark("import mockserver (profiles, fixtures)")
prepare = mockserver.app.prepare_default_sandbox
world = [0.0]
def timed(*args, **kwargs):
    started = cpu()
    try:
        return prepare(*args, **kwargs)
    finally:
        world[0] += cpu() - started
mockserver.app.prepare_default_sandbox = timed
app = mockserver.app.create_app(Settings(store=sys.argv[1]))
mark("create_app (over the store: a restart)")
gc.freeze()
gc.enable()
stored_world, world[0] = world[0], 0.0
async def lifespan():
    sent, asked = [], [{"type": "lifespan.startup"}]
    async def receive():
        return asked.pop() if asked else await asyncio.sleep(3600)
    async def send(message):
        sent.append(message)
    task = asyncio.ensure_future(app({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send))
    while not sent:
        await asyncio.sleep(0)
    task.cancel()
asyncio.run(lifespan())
mark("Connexion's middleware stack (built as the server starts)")
mockserver.app.create_app(Settings())
generated = world[0]
from mockserver.pytest_plugin import start_in_process
start_in_process().close()  # the first one imports what the plugin's control client needs
began = (cpu(), time.perf_counter())
server = start_in_process()
mark("a second in-process server (imports done)")
server.close()
second = [marks[-1][1] - began[0], marks[-1][2] - began[1]]
print(json.dumps({"marks": marks, "stored": stored_world, "generated": generated, "second": second}))
"""
# The pytest plugin's in-process server as its fixture starts it in a pytest process: from the fixture's first use
# (pytest and the plugin module imported already, as in every pytest run with fleetbox installed: not counted)
# until the server answers its first vendor request, with the phases the plugin records; then what the first
# test's own sandbox (of the default size) adds, since the `fleetbox_sandbox` fixture waits for that too.
IN_PROCESS = r"""
import json, time
import pytest, mockserver.pytest_plugin
def now():
    return time.perf_counter(), time.process_time()
began = now()
server = mockserver.pytest_plugin.start_in_process()
answer = server.control.http.get(server.url + "/trimble/api/assets/v1/vehicles")
ready = now()
from conformance.client import LiveSandbox
LiveSandbox.create(server.control, id="bench-first")
created = now()
server.close()
print(json.dumps({
    "wall": ready[0] - began[0], "cpu": ready[1] - began[1], "status": answer.status_code,
    "phases": getattr(server, "start_phases", {}),
    "sandbox": [created[0] - ready[0], created[1] - ready[1]],
}))
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


def python(code: str, cache: Path, *args: str) -> dict:
    env = {**child_env(), CACHE_VARIABLE: str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# What `fleetbox serve` imports, as it imports them: what it defers deferred, no garbage collection (mockserver/cli.py).
SERVE_IMPORTS = (
    "import gc; gc.disable(); from mockserver.deferred import DEFERRED_BY_SERVE, defer; defer(*DEFERRED_BY_SERVE); "
    "import mockserver.cli, mockserver.app, uvicorn"
)


def import_shares(top: int = 12) -> list[tuple[str, float]]:
    """Self import time per top-level package (`python -X importtime`), largest first."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", SERVE_IMPORTS],
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
        # The plugin's first run ever (empty cache: specs parsed, worlds generated), then its usual case: the worlds
        # of the server's default sandbox and of the first test's are in the cache by then.
        in_process_firsts = [python(IN_PROCESS, Path(scratch) / f"empty-{run}") for run in range(runs)]
        python(IN_PROCESS, cache)
        in_process = [python(IN_PROCESS, cache) for _ in range(runs)]
        # Over the store the first `serve` left (and restarted over): what a restart reads.
        store = f"sqlite:///{Path(scratch) / '0' / 'store.sqlite'}"
        phases = [python(PHASES, cache, store) for _ in range(runs)]

    print(f"fleetbox start-up (medians of {runs} fresh processes; load average {os.getloadavg()[0]:.1f})\n")
    print(f"{'':58} {'wall s':>6}  {'CPU s':>6}")
    for label, serves in (
        ("fleetbox serve, start to first vendor answer (target 1.0)", restarts),
        ("  its first start ever (world generated, specs parsed)", firsts),
    ):
        print(f"{label:58} {median([s[0] for s in serves])}  {median([s[1] for s in serves])}")
    print(
        f"{'plugin in-process server, fixture to first answer (target 0.5)':58} "
        f"{median([r['wall'] for r in in_process])}  {median([r['cpu'] for r in in_process])}"
    )
    for name in in_process[0]["phases"]:
        spent = [r["phases"][name] for r in in_process]
        print(f"{'  ' + name:58} {median([s[0] for s in spent])}  {median([s[1] for s in spent])}")
    answers = [
        [r[key] - sum(p[index] for p in r["phases"].values()) for r in in_process]
        for index, key in enumerate(("wall", "cpu"))
    ]
    print(f"{'  its first vendor answer':58} {median(answers[0])}  {median(answers[1])}")
    print(
        f"{'  then the first sandbox of a test (size 25, not counted)':58} "
        f"{median([r['sandbox'][0] for r in in_process])}  {median([r['sandbox'][1] for r in in_process])}"
    )
    print(
        f"{'  its first run ever (specs parsed, worlds generated)':58} "
        f"{median([r['wall'] for r in in_process_firsts])}  {median([r['cpu'] for r in in_process_firsts])}"
    )
    print(
        f"{'  a second server in that process (imports done)':58} {median([p['second'][1] for p in phases])}  "
        f"{median([p['second'][0] for p in phases])}"
    )
    print("\nphases of one restart (CPU s):")
    # The last mark is the second server, shown above.
    names = [name for name, _, _ in phases[0]["marks"]][1:-1]
    for index, name in enumerate(names, start=1):
        spent = [p["marks"][index][1] - p["marks"][index - 1][1] for p in phases]
        print(f"  {name:56} {median(spent)}")
        if name.startswith("create_app"):
            print(
                f"    {'of which the default sandbox, read from the store':54} {median([p['stored'] for p in phases])}"
            )
    print(f"  {'(a first start generates the default world instead)':56} {median([p['generated'] for p in phases])}")
    print(f"  {'(the interpreter itself, before any import)':56} {median([p['marks'][0][1] for p in phases])}")
    print("\nself import time by package (share of all imports):")
    for name, share in import_shares():
        print(f"  {name:30} {100 * share:5.1f}%")


if __name__ == "__main__":
    main()
