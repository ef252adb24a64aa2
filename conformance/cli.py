"""`fleetbox check <profile> --base-url URL ...`: judge an implementation and report rule by rule.

Exit status: 0 when every rule held (accepted deviations included), 1 when a rule failed, 2 for a
usage error or a base URL that cannot be judged (with a one-line reason).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

from .apart import Apart
from .plugin import DEFAULT_MAX_EXAMPLES
from .profiles import PROFILES
from .schemathesis_processes import a_core_to_spare
from .target import TargetError, resolve

HERE = Path(__file__).resolve().parent
# The plugins of a check's pytest session (and of the child session apart.py starts).
PLUGIN_OPTIONS = (
    # Plugins other packages install (Schemathesis', Hypothesis', Faker's, ...) are nothing a check
    # uses; loading them and rewriting their asserts was a tenth of a run's CPU.
    "--disable-plugin-autoload",
    # Rules state what they expect with `expect`, which words its own message: rewriting the asserts
    # of every rule module (again each run where no bytecode is cached) bought nothing.
    "--assert=plain",
    "-p",
    "conformance.plugin",
    "-p",
    "no:terminal",
    # It collects the garbage five times over as the session ends (a fifth of a second of CPU), to
    # report exceptions raised in finalisers as warnings, which a check never shows.
    "-p",
    "no:unraisableexception",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("profile", choices=sorted(PROFILES), help="the API to judge")
    parser.add_argument(
        "--base-url",
        required=True,
        metavar="URL",
        help="base URL of the implementation, e.g. http://127.0.0.1:8080/trimble/api/assets/v1",
    )
    parser.add_argument(
        "--credentials",
        type=Path,
        metavar="FILE",
        help="credentials file (JSON or YAML; see conformance/README.md); optional against a fleetbox sandbox",
    )
    parser.add_argument("--junit-xml", type=Path, metavar="FILE", help="write a JUnit XML report here")
    parser.add_argument("--html", type=Path, metavar="FILE", help="write an HTML report here")
    parser.add_argument(
        "--json",
        type=Path,
        metavar="FILE",
        help="write a machine-readable JSON report here (every rule: verdict, time, evidence, requests and responses)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="run only the rules that change nothing on the target, e.g. against a production API",
    )
    parser.add_argument(
        "--deviations",
        type=Path,
        metavar="FILE",
        help="YAML file mapping rule ids to the reason each deviation is accepted",
    )
    parser.add_argument(
        "--max-examples",
        type=_positive,
        metavar="N",
        default=DEFAULT_MAX_EXAMPLES,
        help=(
            f"Schemathesis' fuzzing examples per operation and link-following scenarios (default "
            f"{DEFAULT_MAX_EXAMPLES}; more is a deeper, slower run, e.g. 20)"
        ),
    )
    parser.add_argument(
        "--workers",
        type=_positive,
        metavar="N",
        default=1,
        help="concurrent Schemathesis workers (threads) in its process (default 1)",
    )
    parser.add_argument(
        "--processes",
        type=_positive,
        metavar="N",
        help=(
            "share Schemathesis' phases among processes at once, each over every operation (default 2 on a machine "
            "with two or more cores: coverage apart from examples and fuzzing, links followed in a third; 1 runs "
            "every phase in one process): sooner where a core is free, for more CPU"
        ),
    )
    parser.add_argument("--seed", type=int, metavar="N", help="Schemathesis seed, to repeat a run's generated requests")
    parser.add_argument(
        "--parallel-contract",
        action=argparse.BooleanOptionalAction,
        help=(
            "against a fleetbox sandbox the run borrows: run Schemathesis at the same time as the scenario rules, on "
            "a second borrowed sandbox (same verdicts; sooner where a core is free, a little more CPU; default on a "
            "machine with two or more cores)"
        ),
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="RULE-ID",
        default=[],
        help="run only these rules (ids or wildcards such as 'TRIMBLE-VEH-*')",
    )
    parser.add_argument(
        "--sandbox-url",
        help=(
            "with --credentials of a fleetbox sandbox, its control-plane URL (e.g. "
            "http://127.0.0.1:8080/__sandbox/sandboxes/default), so rules that need its clock, quotas or events run"
        ),
    )
    parser.add_argument(
        "--control-token",
        default=os.environ.get("FLEETBOX_CONTROL_TOKEN") or None,
        metavar="TOKEN",
        help=(
            "the control token of a fleetbox server started with one (default $FLEETBOX_CONTROL_TOKEN), to borrow a "
            "sandbox; with --sandbox-url, that token or the sandbox's access key"
        ),
    )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def pytest_arguments(
    args: argparse.Namespace, credentials_file: Path, sandbox_url: str | None = None, control_token: str | None = None
) -> list[str]:
    suite = PROFILES[args.profile].contract.suite
    arguments = [
        "-c",
        str(HERE / "pytest.ini"),
        "--rootdir",
        str(HERE.parent),
        # Only the suite's own conftest files: a suite kept inside another project's tests must not
        # pick up that project's fixtures and collection rules.
        "--confcutdir",
        str(suite_directory(suite)),
        *PLUGIN_OPTIONS,
        # The suite's folder, not `--pyargs` and its name: given no path, pytest also loads the conftest
        # files of the working directory's test* folders (a checkout's own tests, a second of imports).
        str(suite_directory(suite)),
        "--fleetbox-base-url",
        args.base_url.rstrip("/"),
        "--fleetbox-credentials",
        str(credentials_file),
        "--fleetbox-max-examples",
        str(args.max_examples),
        "--fleetbox-workers",
        str(args.workers),
        "--fleetbox-progress",
    ]
    if args.processes:
        arguments += ["--fleetbox-processes", str(args.processes)]
    if args.read_only:
        arguments.append("--fleetbox-read-only")
    for option, value in (
        ("--fleetbox-junit-xml", args.junit_xml),
        ("--fleetbox-html", args.html),
        ("--fleetbox-json", args.json),
        ("--fleetbox-deviations", args.deviations),
        ("--fleetbox-seed", args.seed),
        ("--fleetbox-sandbox-url", sandbox_url),
        ("--fleetbox-control-token", control_token),
    ):
        if value is not None:
            arguments += [option, str(value)]
    for pattern in args.only:
        arguments += ["--fleetbox-only", pattern]
    return arguments


def suite_directory(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    return Path(next(iter(spec.submodule_search_locations)))


def run(args: argparse.Namespace) -> int:
    profile = PROFILES[args.profile]
    if args.deviations is not None and not args.deviations.is_file():
        return _usage(f"the deviations file {args.deviations} does not exist")
    try:
        target = resolve(profile, args.base_url.rstrip("/"), args.credentials, args.control_token)
    except TargetError as error:
        return _usage(str(error))
    print(f"fleetbox check {profile.name} against {target.base_url}", flush=True)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            credentials_file = Path(scratch) / "credentials.json"
            credentials_file.write_text(json.dumps(target.credentials))
            sandbox_url = target.sandbox_url or args.sandbox_url
            # A borrowed sandbox's server lends a second one, on which the contract layer runs beside the rules.
            parallel = a_core_to_spare() if args.parallel_contract is None else args.parallel_contract
            plugins = [Apart(args.control_token)] if target.cleanup and parallel else []
            code = pytest.main(
                pytest_arguments(args, credentials_file, sandbox_url, target.control_token), plugins=plugins
            )
    finally:
        target.close()
    if code in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return int(code)
    if code == pytest.ExitCode.USAGE_ERROR:
        return 2  # pytest has printed the reason ("ERROR: ...")
    return _usage(f"the check could not run to its end (pytest exit status {int(code)})")


def _usage(message: str) -> int:
    print(f"fleetbox check: {message}", file=sys.stderr)
    return 2
