"""The contract layer run apart: Schemathesis on a second borrowed sandbox while the scenario rules run.

Schemathesis and the server it calls take turns, so a run used about one core of two; the scenario rules
and their requests now use the other. Each layer acts on a sandbox of its own, so neither sees what the
other writes, nor a clock, quota or fault the other sets. `fleetbox check` asks for this when it borrowed
its sandbox on a machine with a second core, or when told `--parallel-contract` (it passes an `Apart`);
anywhere else (a server of one's own, a consumer's pytest, `--no-parallel-contract`), or when a second
sandbox cannot be had, Schemathesis runs in the session, when its first rule needs it. On the 2-vCPU
machine of bench/check_speed.py the second session and sandbox cost about 2 CPU-seconds a profile, and
the three checks end a few seconds sooner.

The layer runs in a child pytest session of the suite, given the second sandbox's credentials: the
profile's own fixtures make its headers, and its `schemathesis_run` fixture writes what it found to a
file (`--fleetbox-schemathesis-out`) that the session's contract rules then read.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .control import TOKEN_VARIABLE
from .rules import SCENARIO
from .schemathesis_layer import Plan, plan_for_session, runnable_rules
from .schemathesis_processes import SchemathesisRun
from .target import ConformanceProfile, Target, borrow_sandbox

HERE = Path(__file__).resolve().parent
# The child session's own limit is Schemathesis' (an hour); this one only keeps a wedged child from
# holding the run for ever.
CHILD_TIMEOUT = 3900


@dataclass(eq=False)  # a plugin object: pytest keeps it in sets
class Apart:
    """Given by `fleetbox check` to its pytest session (a plugin object) when it borrowed its sandbox: the
    control token with which a second one may be borrowed."""

    control_token: str | None = None


class Background:
    """One child session running the contract layer; `result()` waits for what it found (None when no
    second sandbox could be borrowed: the session then runs Schemathesis itself)."""

    def __init__(self, config: pytest.Config, profile: ConformanceProfile, plan: Plan, apart: Apart) -> None:
        self.config, self.profile, self.plan, self.apart = config, profile, plan, apart
        self._result: SchemathesisRun | None = None
        self._child: subprocess.Popen | None = None
        self._closing = False
        self._thread = threading.Thread(target=self._work, name="fleetbox-contract-layer", daemon=True)

    def start(self) -> Background:
        self._thread.start()
        return self

    def result(self) -> SchemathesisRun | None:
        # A bounded wait at a time: an endless join would not let Ctrl-C through to the session.
        while self._thread.is_alive():
            self._thread.join(0.2)
        return self._result

    def close(self) -> None:
        """Stop the child if the session ends before its contract rules read it (an interrupted run)."""
        self._closing = True
        self._stop_child()
        self._thread.join(timeout=60)

    def _stop_child(self) -> None:
        """The child and its Schemathesis process: the child leads a process group of its own."""
        child = self._child
        if child is None or child.poll() is not None:
            return
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except (AttributeError, ProcessLookupError, PermissionError):
            child.kill()

    def _work(self) -> None:
        base_url = self.config.getoption("fleetbox_base_url").rstrip("/")
        try:
            borrowed = borrow_sandbox(self.profile, base_url, self.apart.control_token)
        except Exception:  # noqa: BLE001 - no second sandbox: the session runs Schemathesis itself
            borrowed = None
        if borrowed is None:
            return
        try:
            self._result = self._run_child(borrowed)
        except Exception as error:  # noqa: BLE001 - anything here is told in the contract rules' verdicts
            self._result = SchemathesisRun({}, f"the contract layer's session failed: {error!r}")
        finally:
            borrowed.close()

    def _run_child(self, borrowed: Target) -> SchemathesisRun | None:
        with tempfile.TemporaryDirectory() as scratch:
            credentials, found = Path(scratch) / "credentials.json", Path(scratch) / "schemathesis.json"
            credentials.write_text(json.dumps(borrowed.credentials))
            # The child imports this very suite, wherever it was started from.
            path = os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH", "")]))
            environment = os.environ | {"PYTHONPATH": path}
            # The sandbox's key goes by the environment, not the command line other users can read.
            environment.pop(TOKEN_VARIABLE, None)
            if borrowed.control_token:
                environment[TOKEN_VARIABLE] = borrowed.control_token
            command = self._command(borrowed, credentials, found)
            if self._closing:
                return None
            self._child = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                cwd=scratch,
                env=environment,
                start_new_session=True,
            )
            try:
                output, _ = self._child.communicate(timeout=CHILD_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._stop_child()
                output, _ = self._child.communicate()
                output = f"the contract layer did not finish within {CHILD_TIMEOUT} s\n{output}"
            if not found.exists():
                return SchemathesisRun({}, output)
            data = json.loads(found.read_text())
            return SchemathesisRun(data["results"], data["output"])

    def _command(self, borrowed: Target, credentials: Path, found: Path) -> list[str]:
        from .cli import PLUGIN_OPTIONS, suite_directory

        suite = str(suite_directory(self.profile.contract.suite))
        option = self.config.getoption
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            str(HERE / "pytest.ini"),
            "--rootdir",
            str(HERE.parent),
            "--confcutdir",
            suite,
            *PLUGIN_OPTIONS,
            suite,
            "--fleetbox-base-url",
            borrowed.base_url,
            "--fleetbox-credentials",
            str(credentials),
            "--fleetbox-sandbox-url",
            borrowed.sandbox_url or "",
            "--fleetbox-max-examples",
            str(option("fleetbox_max_examples")),
            "--fleetbox-workers",
            str(option("fleetbox_workers")),
            "--fleetbox-seed",
            str(self.plan.seed),
            "--fleetbox-schemathesis-out",
            str(found),
        ]
        if option("fleetbox_read_only"):
            command.append("--fleetbox-read-only")
        if option("fleetbox_processes"):
            command += ["--fleetbox-processes", str(option("fleetbox_processes"))]
        for rule_id in self.plan.rule_ids:
            command += ["--fleetbox-only", rule_id]
        return command


def _start(request: pytest.FixtureRequest, profile: ConformanceProfile) -> Background | None:
    config = request.config
    apart = next((plugin for plugin in config.pluginmanager.get_plugins() if isinstance(plugin, Apart)), None)
    if apart is None or config.getoption("fleetbox_schemathesis_out"):
        return None
    # Apart only when there is something to run beside it: a run of contract rules alone gains nothing.
    if not any(rule.layer == SCENARIO for rule in runnable_rules(request.session)):
        return None
    plan = plan_for_session(request, profile.name, profile.spec)
    if plan is None:
        return None
    return Background(config, profile, plan, apart).start()


@pytest.fixture(scope="session", autouse=True)
def contract_layer_apart(request: pytest.FixtureRequest, profile: ConformanceProfile) -> Iterator[None]:
    """Starts the contract layer beside the scenario rules, where `fleetbox check` allows it (autouse: each
    profile's conftest imports it)."""
    background = _start(request, profile)
    request.config.fleetbox_background = background
    yield
    if background is not None:
        background.close()
