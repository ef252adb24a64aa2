"""Schemathesis' command line run as one process or several at once (`Part`s), their JUnit verdicts merged
into one `SchemathesisRun`.

Schemathesis runs on one core. On a machine with a second one, the contract phases go to two processes at
once, each with half of the operations (and the link-following phase, which needs every operation, to a
process of its own): the server under test uses only part of the other core. Each process pays again for
Schemathesis' imports and the spec (about 1.5 CPU-s); Hourfleet's full contract run took 15 s of wall time
instead of 21 on the 2-core machine (bench/check_speed.py measures the whole check).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .contract import spec_path

CONTRACT_PHASES = ["examples", "coverage", "fuzzing"]
STATEFUL_PHASES = ["stateful"]
TIMEOUT_SECONDS = 3600

# Hypothesis' `target()` makes it hill-climb towards requests the API accepts before it stops: a
# quarter of the run's CPU spent re-drawing examples, within the same --max-examples budget. The
# coverage and examples phases already send every operation requests it accepts, and the planted bugs
# are caught without it (tests/conformance/test_planted.py), so the run does without it.
# `requests` also reads the proxy settings from the environment again for every request (a twentieth of
# the run's CPU): they depend on the URL's scheme and host alone, and the environment does not change
# during a run, so they are read once per origin.
# `schemathesis_process.prepare()` keeps the invalid enum values Schemathesis draws between runs, and
# `settle_heap()` spares the garbage collector the imported modules.
RUN_SCHEMATHESIS = """
import functools, sys
sys.path.insert(0, sys.argv.pop(1))
import conformance.schemathesis_process
conformance.schemathesis_process.prepare()
from urllib.parse import urlsplit
import hypothesis, requests.sessions
hypothesis.target = lambda *args, **kwargs: None
real = requests.sessions.get_environ_proxies
by_origin = functools.lru_cache(maxsize=64)(lambda origin, no_proxy: real(origin + "/", no_proxy=no_proxy))
requests.sessions.get_environ_proxies = lambda url, no_proxy=None: dict(
    by_origin("{0.scheme}://{0.netloc}".format(urlsplit(url)), no_proxy)
)
from schemathesis.cli import schemathesis
conformance.schemathesis_process.settle_heap()
sys.exit(schemathesis())
"""


@dataclass
class SchemathesisRun:
    """What one Schemathesis run found: failure text per operation label (None when it passed)."""

    results: dict[str, str | None]
    output: str

    def verdict(self, label: str) -> str | None:
        if label not in self.results:
            return f"Schemathesis reported nothing for {label}.\n\n{self.output[-3000:]}"
        return self.results[label]


@dataclass(frozen=True)
class Part:
    """What one Schemathesis process runs: these phases over these operations (every one when empty)."""

    phases: list[str]
    operation_ids: list[str]


def processes_at_once() -> int:
    """How many processes the contract phases are shared among: two where there is a second core."""
    return 2 if (os.cpu_count() or 1) >= 2 else 1


def parts_of(phases: list[str], operation_ids: list[str], every_operation: list[str], processes: int) -> list[Part]:
    """`phases` over `operation_ids` (all of `every_operation` when empty), shared among `processes`: the
    contract phases split by operation, in turn (neighbours in the spec tend to cost alike); the
    link-following phase, which follows links between any operations, in a process of its own."""
    if processes < 2:
        return [Part(phases, operation_ids)]
    contract = [phase for phase in phases if phase not in STATEFUL_PHASES]
    stateful = [phase for phase in phases if phase in STATEFUL_PHASES]
    chosen = operation_ids or every_operation
    parts = [Part(contract, chosen[start::processes]) for start in range(processes) if contract and chosen[start:]]
    if stateful:
        parts.append(Part(stateful, []))
    return parts


def run_parts(
    parts: list[Part],
    spec_file: str,
    base_url: str,
    headers: dict[str, str],
    config_file: Path | None,
    max_examples: int,
    workers: int,
    seed: int,
) -> SchemathesisRun:
    """Run every part at once, each a Schemathesis process with the same seed and settings, and merge what
    they found (each operation is judged by exactly one of them)."""
    # Run in the scratch folder: Schemathesis keeps caches in its working directory. Hypothesis keeps
    # its Unicode tables in its storage directory (the working directory's .hypothesis unless told):
    # rebuilt in a fresh folder, they cost every run seconds of CPU, so they stay in a cache of ours.
    environment = os.environ | {"HYPOTHESIS_STORAGE_DIRECTORY": str(hypothesis_storage())}
    with tempfile.TemporaryDirectory() as scratch:
        started = []
        for number, part in enumerate(parts):
            folder = Path(scratch) / str(number)
            folder.mkdir()
            command = command_for(part, spec_file, base_url, headers, config_file, max_examples, workers, seed)
            # Output to a file, not a pipe: a process whose pipe is full would wait for the others to end.
            log = open(folder / "output.txt", "w+")  # noqa: SIM115 - closed below, after the process ends
            command += ["--report-junit-path", str(folder / "junit.xml")]
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=folder, env=environment)
            started.append((process, log, folder))
        try:
            return _collect(started)
        finally:
            for process, log, _ in started:  # an interrupted run leaves no Schemathesis process behind
                if process.poll() is None:
                    process.kill()
                    process.wait()
                log.close()


def _collect(started: list[tuple[subprocess.Popen, IO[str], Path]]) -> SchemathesisRun:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    results: dict[str, str | None] = {}
    outputs = []
    for process, log, folder in started:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            log.write(f"\nSchemathesis did not finish within {TIMEOUT_SECONDS} s")
        log.seek(0)
        outputs.append(log.read())
        junit = folder / "junit.xml"
        if junit.exists():
            results.update(_verdicts(junit))
    return SchemathesisRun(results, "\n".join(outputs))


def command_for(
    part: Part,
    spec_file: str,
    base_url: str,
    headers: dict[str, str],
    config_file: Path | None,
    max_examples: int,
    workers: int,
    seed: int,
) -> list[str]:
    command = [sys.executable, "-c", RUN_SCHEMATHESIS, str(Path(__file__).resolve().parent.parent)]
    if config_file is not None:
        command += ["--config-file", str(config_file)]
    command += [
        "run",
        str(spec_path(spec_file)),
        "--url",
        base_url,
        "--phases",
        ",".join(part.phases),
        "--max-examples",
        str(max_examples),
        "--workers",
        str(workers),
        "--seed",
        str(seed),
        "--report",
        "junit",
        "--no-color",
        # Examples found are kept nowhere between runs (the scratch folder goes): writing them was waste.
        "--generation-database",
        "none",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    for operation_id in part.operation_ids:
        command += ["--include-operation-id", operation_id]
    return command


def hypothesis_storage() -> Path:
    """Where Hypothesis keeps what outlives a run: only its Unicode tables, since examples are kept nowhere
    (`--generation-database none`). $FLEETBOX_HYPOTHESIS_DIR, else the user's cache folder."""
    configured = os.environ.get("FLEETBOX_HYPOTHESIS_DIR")
    if configured:
        return Path(configured)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "fleetbox" / "hypothesis"


def _verdicts(junit: Path) -> dict[str, str | None]:
    results: dict[str, str | None] = {}
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        problems = [child for child in case if child.tag in ("failure", "error")]
        results[case.get("name", "")] = (
            "\n\n".join((p.text or p.get("message") or "").strip() for p in problems) or None
        )
    return results
