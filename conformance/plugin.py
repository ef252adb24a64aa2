"""The pytest plugin behind `fleetbox check`, usable on its own in any pytest run:

    pytest -p conformance.plugin --pyargs conformance.trimble \
        --fleetbox-base-url https://fleets.example.com/api/assets/v1 --fleetbox-credentials creds.json

It maps tests to rules, keeps only the `--fleetbox-only` rules, turns listed deviations into
accepted (non-strict xfail) outcomes, remembers each rule's HTTP exchanges, and writes the reports.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import yaml

from .control import ControlPlane
from .http import WATCH, ExchangeLog
from .profiles import PROFILES
from .results import DEVIATION, FAILED, LAYER_ORDER, NOT_CHECKED, PASSED, RuleResult, RunSummary
from .rules import Rule, select
from .target import ConformanceProfile, Target, TargetError, harmless_requests, resolve

# Per operation in the fuzzing phase, and link-following scenarios in the stateful one. Every planted
# contract bug is caught at 5 (tests/conformance/test_planted.py); 20 cost 1.8 times the CPU, for the
# deeper run `--max-examples` asks for. The coverage phase sends every boundary case whatever the value.
DEFAULT_MAX_EXAMPLES = 5


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fleetbox", "fleetbox conformance suite")
    group.addoption("--fleetbox-base-url", help="base URL of the implementation to judge")
    group.addoption("--fleetbox-credentials", type=Path, help="credentials file (JSON or YAML) for the profile")
    group.addoption(
        "--fleetbox-deviations", type=Path, help="YAML file mapping rule ids to the reason each deviation is accepted"
    )
    group.addoption(
        "--fleetbox-only", action="append", default=[], metavar="RULE", help="run only these rules (ids or wildcards)"
    )
    group.addoption(
        "--fleetbox-max-examples", type=int, default=DEFAULT_MAX_EXAMPLES, help="Schemathesis examples per operation"
    )
    group.addoption("--fleetbox-workers", type=int, default=1, help="Schemathesis workers")
    group.addoption("--fleetbox-processes", type=int, help="Schemathesis processes at once (default: by cores)")
    group.addoption("--fleetbox-seed", type=int, help="Schemathesis seed (random by default; printed in the summary)")
    group.addoption("--fleetbox-junit-xml", type=Path, help="write a rule-by-rule JUnit XML report here")
    group.addoption("--fleetbox-html", type=Path, help="write an HTML report here")
    group.addoption("--fleetbox-json", type=Path, help="write a machine-readable JSON report here")
    group.addoption(
        "--fleetbox-read-only",
        action="store_true",
        help="run only the rules that change nothing on the target (the others are reported as not checked)",
    )
    group.addoption(
        "--fleetbox-progress", action="store_true", help="print one line per rule (what `fleetbox check` shows)"
    )
    group.addoption(
        "--fleetbox-sandbox-url",
        help=(
            "the fleetbox control-plane URL of the sandbox the credentials belong to (rules that need its clock, "
            "quotas or events)"
        ),
    )
    group.addoption(
        "--fleetbox-schemathesis-out",
        type=Path,
        help="(for the contract layer run apart, apart.py) write the Schemathesis run's findings here",
    )
    group.addoption(
        "--fleetbox-control-token",
        default=os.environ.get("FLEETBOX_CONTROL_TOKEN") or None,
        help="the bearer a protected fleetbox control plane wants (default $FLEETBOX_CONTROL_TOKEN)",
    )


def open_target(config: pytest.Config, profile: ConformanceProfile) -> Target:
    """The implementation this run judges, from the `--fleetbox-*` options; a target that cannot be
    used ends the run as a usage error (exit status 4 under pytest, 2 under `fleetbox check`)."""
    base_url = config.getoption("fleetbox_base_url")
    if not base_url:
        raise pytest.UsageError(f"the {profile.name} rules need --fleetbox-base-url")
    try:
        target = resolve(
            profile,
            base_url.rstrip("/"),
            config.getoption("fleetbox_credentials"),
            config.getoption("fleetbox_control_token"),
        )
    except TargetError as error:
        pytest.exit(str(error), returncode=pytest.ExitCode.USAGE_ERROR)
    target.sandbox_url = target.sandbox_url or config.getoption("fleetbox_sandbox_url")
    return target


# --- fixtures every profile's rules share; each profile's conftest.py names its `profile` ----------


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config, profile: ConformanceProfile) -> Iterator[Target]:
    """The implementation under test, given back (a borrowed sandbox deleted) at the end of the run."""
    target = open_target(pytestconfig, profile)
    yield target
    target.close()


@pytest.fixture(scope="session")
def control(target: Target, profile: ConformanceProfile) -> Iterator[ControlPlane | None]:
    """The fleetbox sandbox's control plane, or None when the target is not one (or was not named)."""
    if not target.sandbox_url:
        yield None
        return
    plane = ControlPlane(target.sandbox_url, profile.name, target.control_token)
    yield plane
    plane.close()


@pytest.fixture
def sandbox(control: ControlPlane | None) -> ControlPlane:
    """The fleetbox sandbox's control plane; rules that need it are not checked against other servers."""
    if control is None:
        pytest.skip(
            "not checked: needs a fleetbox sandbox's control plane (run without --credentials, or pass --sandbox-url)"
        )
    return control


@pytest.fixture
def anonymous(target: Target, exchanges: ExchangeLog) -> Iterator[httpx.Client]:
    """A client with no token, for the authentication rules."""
    client = exchanges.client(target.base_url)
    yield client
    client.close()


@pytest.fixture(scope="session")
def run_id() -> str:
    """A short tag for the names of what a run creates, so that runs never collide and leftovers show."""
    return f"fbx{secrets.token_hex(3)}"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fleetbox_rule: the rule a test checks")
    config.pluginmanager.register(RuleReporter(config), "fleetbox-rule-reporter")


def rule_of(item: pytest.Item) -> Rule | None:
    """The rule an item checks: on the test function, or a parametrized contract rule."""
    callspec = getattr(item, "callspec", None)
    if callspec is not None:
        for value in callspec.params.values():
            if isinstance(value, tuple) and value and isinstance(value[0], Rule):
                return value[0]
    return getattr(getattr(item, "function", None), "fleetbox_rule", None)


def load_deviations(path: Path | None) -> dict[str, str]:
    """{rule id: reason}; every entry needs a reason."""
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as error:
        raise pytest.UsageError(f"cannot read the deviations file {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise pytest.UsageError(f"the deviations file {path} is not YAML: {error}") from error
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in data.items()
    ):
        raise pytest.UsageError(f"the deviations file {path} must map each rule id to a reason (RULE-ID: why)")
    return data


class RuleReporter:
    """Collects one RuleResult per rule as the run goes, and reports at the end."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.results: dict[str, RuleResult] = {}
        self.rules_by_node: dict[str, Rule] = {}
        self.deviations: dict[str, str] = {}
        self.started = time.monotonic()
        self.progress = config.getoption("fleetbox_progress")
        self._area: str | None = None

    # --- selection ---------------------------------------------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        ruled = [(item, rule_of(item)) for item in items]
        profiles = {rule.profile for _, rule in ruled if rule}
        keep = items
        patterns = config.getoption("fleetbox_only")
        if patterns:
            chosen: set[str] = set()
            unmatched = set(patterns)
            for profile in profiles:
                hits, missed = select(profile, patterns)
                chosen |= hits
                unmatched &= set(missed)
            if unmatched:
                raise pytest.UsageError(f"--only matches no rule: {', '.join(sorted(unmatched))}")
            keep = [item for item, rule in ruled if rule and rule.id in chosen]
            config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        WATCH.read_only = config.getoption("fleetbox_read_only")
        WATCH.base_path = urlsplit(config.getoption("fleetbox_base_url") or "").path.rstrip("/")
        WATCH.harmless = [
            request for name in profiles if name in PROFILES for request in harmless_requests(PROFILES[name])
        ]
        known = {rule.id for _, rule in ruled if rule}
        self.deviations = load_deviations(config.getoption("fleetbox_deviations"))
        unknown = sorted(set(self.deviations) - known)
        if unknown:
            raise pytest.UsageError(f"the deviations file names unknown rules: {', '.join(unknown)}")
        for item in keep:
            rule = rule_of(item)
            if rule is None:
                continue
            self.rules_by_node[item.nodeid] = rule
            if WATCH.read_only and rule.writes:
                item.add_marker(pytest.mark.skip(reason=f"not checked: --read-only, and it writes {rule.writes}"))
            elif rule.id in self.deviations:
                item.add_marker(
                    pytest.mark.xfail(reason=f"accepted deviation: {self.deviations[rule.id]}", strict=False)
                )
        # Scenario rules first (quick answers), area by area, then what Schemathesis checks.
        keep.sort(key=lambda item: self._order(self.rules_by_node.get(item.nodeid)))
        items[:] = keep

    @staticmethod
    def _order(rule: Rule | None) -> tuple:
        if rule is None:
            return (0, 0)
        areas = PROFILES[rule.profile].areas if rule.profile in PROFILES else ()
        return (LAYER_ORDER[rule.layer], areas.index(rule.area) if rule.area in areas else len(areas))

    # --- per rule ----------------------------------------------------------------------------

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem):
        # The requests of the item's set-up, call and clean-up are its rule's (WATCH notes their writes).
        rule = self.rules_by_node.get(item.nodeid)
        WATCH.rule = rule.id if rule else None
        yield
        WATCH.rule = None

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call):
        outcome = yield
        report = outcome.get_result()
        log: ExchangeLog | None = getattr(item, "fleetbox_exchanges", None)
        report.fleetbox_exchanges = list(log.exchanges) if log else []
        report.fleetbox_details = getattr(item, "fleetbox_details", None)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        rule = self.rules_by_node.get(report.nodeid)
        if rule is None:
            return
        result = self.results.get(rule.id)
        if report.when == "teardown":
            if report.failed and result is not None:
                result.note = f"clean-up failed: {_crash(report)}"
            if result is not None:
                self._announce(result)
            return
        if result is not None and result.outcome != PASSED:
            return  # setup already decided it
        result = self.results[rule.id] = RuleResult(rule, PASSED, report.duration + (result.duration if result else 0))
        result.exchanges = report.fleetbox_exchanges
        if report.skipped and hasattr(report, "wasxfail"):
            result.outcome, result.note = DEVIATION, self.deviations.get(rule.id)
            result.expected, result.details = _crash(report), report.fleetbox_details
        elif report.skipped:
            result.outcome, result.note = NOT_CHECKED, _skip_reason(report)
        elif report.failed:
            result.outcome, result.expected, result.details = (
                FAILED,
                _crash(report),
                report.fleetbox_details or report.longreprtext,
            )
        elif hasattr(report, "wasxfail"):
            result.note = "listed as a deviation, but it holds"

    def say(self, text: str) -> None:
        """A line of progress for a person watching `fleetbox check` (shown even mid-test)."""
        if self.progress:
            capture = self.config.pluginmanager.getplugin("capturemanager")
            with capture.global_and_fixture_disabled():
                print(text, flush=True)

    def _announce(self, result: RuleResult) -> None:
        if not self.progress:
            return
        if result.rule.area != self._area:
            self._area = result.rule.area
            print(f"\n{result.rule.area}", flush=True)
        mark = {PASSED: "ok  ", FAILED: "FAIL", DEVIATION: "dev ", NOT_CHECKED: "skip"}[result.outcome]
        note = f"  ({result.note})" if result.note and result.outcome != PASSED else ""
        print(f"  {mark} {result.rule.id:<42} {result.rule.sentence}{note}", flush=True)

    # --- the end -----------------------------------------------------------------------------

    def summary(self) -> RunSummary:
        return RunSummary(
            profile=next(iter(self.results.values())).rule.profile if self.results else "",
            base_url=self.config.getoption("fleetbox_base_url") or "",
            results=list(self.results.values()),
            duration=time.monotonic() - self.started,
            seed=getattr(self.config, "fleetbox_seed", None),
            read_only=bool(self.config.getoption("fleetbox_read_only")),
        )

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if not self.results:
            return
        from .report import html, json_report, junit, terminal

        for result in self.results.values():
            result.wrote = list(WATCH.seen.get(result.rule.id, []))
        summary = self.summary()
        if self.progress:
            print(terminal.render(summary), flush=True)
        if path := self.config.getoption("fleetbox_junit_xml"):
            junit.write(summary, path)
        if path := self.config.getoption("fleetbox_html"):
            html.write(summary, path)
        if path := self.config.getoption("fleetbox_json"):
            json_report.write(summary, path)

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.results and not self.progress:
            terminalreporter.write_sep("=", "fleetbox rules")
            terminalreporter.write_line(self.summary().headline())


def _crash(report: pytest.TestReport) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    message = crash.message if crash is not None else str(report.longrepr)
    return message.removeprefix("AssertionError: ").removeprefix("Failed: ")


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return reason.removeprefix("Skipped: ")


@pytest.fixture
def exchanges(request: pytest.FixtureRequest) -> ExchangeLog:
    """The HTTP exchanges of one rule; a failed rule's report shows them."""
    log = ExchangeLog()
    request.node.fleetbox_exchanges = log
    return log
