"""What the contract layer's Schemathesis process sets up before Schemathesis' command line runs, and how it
runs that command line once per part of the run.

`schemathesis_processes.RUN_SCHEMATHESIS` calls `prepare()` first thing: it keeps Schemathesis' invalid enum
values between runs, and has `requests` read the environment once per origin; then, once Schemathesis is
imported, `import_what_runs_imported()`, `settle_heap()`, and `run_each()`. None of them changes a request
Schemathesis sends.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import gc
import importlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


def prepare() -> None:
    storage = os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY")
    if storage:
        remember_invalid_enum_candidates(Path(storage))
    read_environment_once_per_origin()


def read_environment_once_per_origin() -> None:
    """`requests` reads the proxy settings from the environment again for every request (a twentieth of the
    run's CPU) and looks for a ~/.netrc file with the host's login (a hundredth). Both depend on the URL's
    scheme and host alone, and neither the environment nor the home folder changes during a run."""
    import requests.sessions

    requests.sessions.get_environ_proxies = once_per_origin(requests.sessions.get_environ_proxies)
    requests.sessions.get_netrc_auth = once_per_origin(requests.sessions.get_netrc_auth)


def once_per_origin(read: Callable[..., Any]) -> Callable[..., Any]:
    """`read(url, ...)` remembered per scheme and host of `url` (and its other arguments); each caller gets
    a copy of what it read, free to change it."""
    remembered = functools.lru_cache(maxsize=64)(lambda origin, *args, **kwargs: read(origin + "/", *args, **kwargs))

    def per_origin(url: str, *args: Any, **kwargs: Any) -> Any:
        return copy.copy(remembered("{0.scheme}://{0.netloc}".format(urlsplit(url)), *args, **kwargs))

    return per_origin


def remember_invalid_enum_candidates(storage: Path) -> None:
    """Schemathesis draws the values it tries as an invalid enum member once per process: a Hypothesis run
    whose filter rejects every value, a second of CPU, with the same seed and so the same values every
    time. They are kept beside Hypothesis' Unicode tables, per version of both, and read back.
    If Schemathesis no longer has that function, nothing changes."""
    try:
        from schemathesis.specs.openapi.coverage import _schema
    except ImportError:
        return
    draw = getattr(_schema, "_invalid_enum_candidates", None)
    if draw is None:
        return
    kept = _kept_file(storage, "invalid-enum-candidates")
    try:
        candidates = tuple(json.loads(kept.read_text()))
    except (OSError, ValueError):
        candidates = draw()
        # Strings, numbers, booleans and None: JSON gives each back as it was.
        _keep(kept, list(candidates))
    _schema._invalid_enum_candidates = lambda: candidates


def _kept_file(storage: Path, name: str) -> Path:
    """Where something learned in one run is kept for the next: in `storage`, per version of Schemathesis and
    of Hypothesis, since either may change what is learned."""
    import hypothesis
    import schemathesis

    return storage / f"{name}-{schemathesis.__version__}-{hypothesis.__version__}.json"


def _keep(kept: Path, value: object) -> None:
    """Write `value` as JSON to `kept` whole or not at all (a scratch file renamed), or leave it be."""
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        scratch = kept.with_suffix(f".{os.getpid()}")
        scratch.write_text(json.dumps(value))
        scratch.replace(kept)
    except (OSError, TypeError, ValueError):
        pass


# Schemathesis imports about 400 modules only once a run starts (the spec's loader, the engine and its
# phases, the reports): 0.8 CPU-seconds in each forked child, three times a check. The children note what
# they imported, beside the enum values above; the next run imports those before forking, once for all.
def _imported_later() -> Path | None:
    storage = os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY")
    return _kept_file(Path(storage), "imported-later") if storage else None


def import_what_runs_imported() -> None:
    """Import the modules the children of earlier runs imported once they ran (`_note_imported_since`)."""
    kept = _imported_later()
    try:
        names = json.loads(kept.read_text()) if kept is not None else []
    except (OSError, ValueError):
        return
    for name in names:
        if isinstance(name, str) and all(part.isidentifier() for part in name.split(".")):
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001, S112 - the child imports it when it needs it, or says why not
                continue


def _note_imported_since(before: set[str]) -> None:
    kept = _imported_later()
    imported = [name for name in list(sys.modules) if name not in before and not name.startswith("__")]
    if kept is None or not imported:
        return
    try:
        known = json.loads(kept.read_text())
    except (OSError, ValueError):
        known = []
    names = list(dict.fromkeys([*(known if isinstance(known, list) else []), *imported]))
    if names != known:
        _keep(kept, names)


# Hypothesis makes and drops objects by the million, and with Python's default threshold (a young
# collection every 700 new objects) the collector ran a thousand times in Hourfleet's run and traversed
# the ~100,000 objects of the imported modules in every older one: 1.2 of its 14 CPU-seconds. The run
# makes cyclic garbage (400,000 objects), so collection stays on, ten times as seldom.
YOUNG_GENERATION_THRESHOLD = 10_000


def settle_heap() -> None:
    """Keep the collector off what exists now (Schemathesis' and Hypothesis' modules, which live as long as
    the process) and collect the young generation every `YOUNG_GENERATION_THRESHOLD` new objects: a third of
    the collector's CPU. What is frozen is never freed: it is what the imports made, once."""
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, old)


def run_each(command_line: Callable[..., object], parts_file: str) -> int:
    """Run Schemathesis' command line once per part listed in `parts_file` (JSON: each part's arguments and
    output file), all at once, each in a child forked from this process: the children share what this one
    imported and prepared (about a CPU-second a process) instead of each paying for it again. Returns once
    every child has ended; the verdicts are in each part's JUnit report."""
    parts = json.loads(Path(parts_file).read_text())
    imported = set(sys.modules)
    children = [_fork(command_line, part["arguments"], part["output"], part["directory"], imported) for part in parts]
    for child in children:
        os.waitpid(child, 0)
    return 0


def _fork(
    command_line: Callable[..., object], arguments: list[str], output: str, directory: str, imported: set[str]
) -> int:
    child = os.fork()
    if child:
        return child
    status = 1
    try:
        written = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(written, 1)
        os.dup2(written, 2)
        # The part's output file is its standard output and error, whatever this process had for them.
        sys.stdout = open(1, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
        os.chdir(directory)
        sys.argv = ["st", *arguments]
        command_line.main(args=arguments, prog_name="st")  # click: ends by raising SystemExit
        status = 0
    except SystemExit as ended:
        status = ended.code if isinstance(ended.code, int) else 1
    except BaseException:  # noqa: BLE001 - told in the part's output, which the run reads
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):  # a note not kept costs the next run time, never this one a verdict
            _note_imported_since(imported)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)  # the child leaves no atexit work of the parent's behind
