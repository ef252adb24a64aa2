"""Schemathesis' command line run as one process or several at once (`Part`s), their JUnit verdicts merged
into one `SchemathesisRun`.

Schemathesis runs on one core. On a machine with a second one, its phases go to three processes at once,
each over every chosen operation (`parts_of`): the server under test uses only part of the other core.
They are children forked from one process that imported Schemathesis (`schemathesis_process.run_each`), so
they pay once for the imports; each still reads the spec again. bench/check_speed.py measured the three
full checks at 0.86 of their wall time and 1.15 of their CPU time.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

from .contract import spec_path

CONTRACT_PHASES = ["examples", "coverage", "fuzzing"]
STATEFUL_PHASES = ["stateful"]
TIMEOUT_SECONDS = 3600

# Hypothesis' `target()` makes it hill-climb towards requests the API accepts before it stops: a
# quarter of the run's CPU spent re-drawing examples, within the same --max-examples budget. The
# coverage and examples phases already send every operation requests it accepts, and the planted bugs
# are caught without it (tests/conformance/test_planted.py), so the run does without it.
# `schemathesis_process.prepare()` keeps the invalid enum values Schemathesis draws between runs and has
# `requests` read what the environment says of an origin once; `import_what_runs_imported()` imports before
# the fork what the forked children of earlier runs imported, and `settle_heap()` spares the garbage
# collector the imported modules.
RUN_SCHEMATHESIS = """
import sys
sys.path.insert(0, sys.argv.pop(1))
import conformance.schemathesis_process
conformance.schemathesis_process.prepare()
import hypothesis
hypothesis.target = lambda *args, **kwargs: None
from schemathesis.cli import schemathesis
conformance.schemathesis_process.import_what_runs_imported()
conformance.schemathesis_process.settle_heap()
sys.exit(conformance.schemathesis_process.run_each(schemathesis, sys.argv[1]))
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


def a_core_to_spare() -> bool:
    """Whether the machine has a second core, on which work run at once gets done sooner."""
    return (os.cpu_count() or 1) >= 2


def processes_at_once() -> int:
    """2 (share the phases among processes, `parts_of`) where there is a second core, else 1 (one process)."""
    return 2 if a_core_to_spare() else 1


def parts_of(phases: list[str], operation_ids: list[str], processes: int) -> list[Part]:
    """`phases` over `operation_ids` (every operation when empty), shared among up to `processes` by phase,
    never by operation: within one process Schemathesis reuses what the API answered one operation (a
    listed vehicle's id) in its requests to another, and an operation without the others loses that (a
    bug only a vehicle that exists shows went unseen). The coverage phase, most of the work, goes to one
    process; the examples and fuzzing phases to a second; the link-following phase to a third."""
    if processes < 2:
        return [Part(phases, operation_ids)]
    shares = [[phase for phase in phases if phase == "coverage"]]
    shares.append([phase for phase in phases if phase not in shares[0] and phase not in STATEFUL_PHASES])
    shares.append([phase for phase in phases if phase in STATEFUL_PHASES])
    return [Part(share, [] if share == STATEFUL_PHASES else operation_ids) for share in shares if share]


def run_parts(parts: list[Part], common: list[str]) -> SchemathesisRun:
    """Run every part at once, each Schemathesis' command line in a child of one process that imported it
    (`schemathesis_process.run_each`), with the same `common` arguments (`common_arguments`: seed and
    settings), and merge what they found."""
    # Each part runs in a scratch folder of its own: Schemathesis keeps caches in its working directory.
    # Hypothesis keeps its Unicode tables in its storage directory (the working directory's .hypothesis
    # unless told): rebuilt in a fresh folder, they cost every run seconds of CPU, so they stay in ours.
    environment = os.environ | {"HYPOTHESIS_STORAGE_DIRECTORY": str(hypothesis_storage())}
    with tempfile.TemporaryDirectory() as scratch:
        folders = [Path(scratch) / str(number) for number in range(len(parts))]
        listed = []
        for part, folder in zip(parts, folders, strict=True):
            folder.mkdir()
            arguments = [*common, "--phases", ",".join(part.phases), "--report-junit-path", str(folder / "junit.xml")]
            for operation_id in part.operation_ids:
                arguments += ["--include-operation-id", operation_id]
            # Output to a file, not a pipe: a part whose pipe is full would wait for the others to end.
            listed.append({"arguments": arguments, "output": str(folder / "output.txt"), "directory": str(folder)})
        parts_file = Path(scratch) / "parts.json"
        parts_file.write_text(json.dumps(listed))
        command = [sys.executable, "-c", RUN_SCHEMATHESIS, str(Path(__file__).resolve().parent.parent)]
        with open(Path(scratch) / "output.txt", "w+") as log:
            # A session of its own: its children are stopped with it, by its process group.
            process = subprocess.Popen(
                [*command, str(parts_file)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=environment,
                start_new_session=True,
            )
            try:
                process.wait(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                log.write(f"\nSchemathesis did not finish within {TIMEOUT_SECONDS} s")
                _stop(process)
            except BaseException:
                _stop(process)  # an interrupted run leaves no Schemathesis process behind
                raise
            log.seek(0)
            launcher = log.read()
        return _collected(folders, launcher)


def _stop(process: subprocess.Popen) -> None:
    """Stop the launching process and its children by its process group (its id: it is not reaped yet)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _collected(folders: list[Path], launcher: str) -> SchemathesisRun:
    """The parts' verdicts, merged, and their output (with what the launching process said, if anything)."""
    results: dict[str, str | None] = {}
    outputs = [launcher] if launcher.strip() else []
    for folder in folders:
        output = folder / "output.txt"
        outputs.append(output.read_text(encoding="utf-8", errors="replace") if output.exists() else "")
        junit = folder / "junit.xml"
        if junit.exists():
            # An operation judged by two parts (two of its phases) fails if either found something.
            for label, found in _verdicts(junit).items():
                results[label] = "\n\n".join(filter(None, (results.get(label), found))) or None
    return SchemathesisRun(results, "\n".join(outputs))


def common_arguments(
    spec_file: str,
    base_url: str,
    headers: dict[str, str],
    config_file: Path | None,
    max_examples: int,
    workers: int,
    seed: int,
) -> list[str]:
    """Schemathesis' command-line arguments every part of a run shares (each adds its phases and operations)."""
    command = ["--config-file", str(config_file)] if config_file is not None else []
    command += [
        "run",
        str(spec_path(spec_file)),
        "--url",
        base_url,
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
