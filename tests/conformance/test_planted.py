"""Every scenario rule proves it can fail: each has a planted bug (in `planted_<profile>.py`), and each
planted bug makes the rules it names fail (exactly those, for a profile that says so). The checks run in
this process, one borrowed sandbox each, so a hundred-odd planted bugs share the test session's server
and cost no interpreter start-ups."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from conformance.profiles import PROFILES

from ..support import failed_rules
from . import __path__ as HERE
from . import front
from .selftest import PlantedBug, SelfTest
from .test_catalogue import loaded_rules

PLANTED_MODULES = [
    importlib.import_module(f"{__package__}.{info.name}")
    for info in pkgutil.iter_modules(HERE)
    if info.name.startswith("planted_")
]
SELFTESTS: dict[str, SelfTest] = {m.SELFTEST.profile: m.SELFTEST for m in PLANTED_MODULES if hasattr(m, "SELFTEST")}
BUGS = [(selftest, bug) for selftest in SELFTESTS.values() for bug in selftest.planted]
# Bugs that need a server of another kind run where it is started (the INVERS-AMQP ones need a broker:
# tests/amqp/test_conformance_rules.py); they count towards their profile's coverage all the same.
ELSEWHERE = [(m.PROFILE, bug) for m in PLANTED_MODULES if hasattr(m, "PROFILE") for bug in m.PLANTED]
UNFINISHED: dict[str, str] = {}


def covered(profile: str) -> set[str]:
    """The rules some planted bug of `profile` makes fail."""
    selftest = SELFTESTS.get(profile)
    bugs = [*(selftest.planted if selftest else ()), *(bug for owner, bug in ELSEWHERE if owner == profile)]
    return {rule for bug in bugs for rule in (bug.rule, *bug.also)}


@pytest.mark.parametrize(
    "profile",
    [
        pytest.param(name, marks=pytest.mark.xfail(reason=UNFINISHED[name], strict=False))
        if name in UNFINISHED
        else name
        for name in PROFILES
    ],
)
def test_every_scenario_rule_has_a_planted_bug(profile):
    scenario = {rule.id for rule in loaded_rules(profile) if rule.layer == "scenario"}
    assert sorted(scenario - covered(profile)) == [], "scenario rules no planted bug makes fail"
    assert sorted(covered(profile) - scenario) == [], "planted bugs name rules that do not exist"


@pytest.mark.slow
@pytest.mark.parametrize("selftest,bug", BUGS, ids=[bug.rule for _, bug in BUGS])
def test_a_planted_bug_is_named_by_its_rules(server, monkeypatch, selftest: SelfTest, bug: PlantedBug):
    bug.plant(monkeypatch)
    run = selftest.check_here(server, "--only", *bug.selection)
    assert run.returncode == 1, f"{bug.description} went unnoticed:\n{run.stdout[-3000:]}{run.stderr[-2000:]}"
    named = {bug.rule, *bug.also}
    if selftest.exact:
        assert failed_rules(run) == named, f"{bug.description}:\n{run.stdout[-4000:]}"
    else:
        assert named <= failed_rules(run), f"{bug.description}:\n{run.stdout[-4000:]}"
    assert f"{bug.rule}: " in run.stdout.split("failures")[-1], "the failure is explained in the summary"


# Rules that read and write JSON, headers, problem documents and tokens, through a gateway that changes
# nothing: what fails with a bug planted in the gateway fails because of the bug.
THROUGH_THE_GATEWAY = {
    "trimble": ("TRIMBLE-AUTH-*", "TRIMBLE-VEH-0*", "TRIMBLE-PAGE-0*", "TRIMBLE-GRP-0*"),
    "invers": ("INVERS-AUTH-*", "INVERS-HDR-*", "INVERS-SHARE-*", "INVERS-RATE-*"),
}


@pytest.mark.slow
@pytest.mark.parametrize("profile", sorted(THROUGH_THE_GATEWAY))
def test_a_gateway_that_changes_nothing_changes_no_verdict(server, monkeypatch, profile):
    front.plant(monkeypatch)
    run = SELFTESTS[profile].check_here(server, "--only", *THROUGH_THE_GATEWAY[profile])
    assert run.returncode == 0, run.stdout[-4000:]
    assert failed_rules(run) == set() and " 0 failed" in run.stdout


OFF = [selftest for selftest in SELFTESTS.values() if selftest.off_contracts]


@pytest.mark.slow
@pytest.mark.parametrize("selftest", OFF, ids=[s.profile for s in OFF])
def test_responses_off_the_contract_are_named_by_their_rules(server, monkeypatch, selftest: SelfTest):
    """A broken schema, an undocumented status, a 5xx, a wrong media type and a missing header, each on its
    own operation: one Schemathesis run names each with its own rule and finding."""
    for off in selftest.off_contracts:
        off.plant(monkeypatch)
    rules = [off.rule for off in selftest.off_contracts]
    run = selftest.check_here(server, "--only", *rules, "--seed", "1")
    assert run.returncode == 1, run.stdout[-3000:]
    assert failed_rules(run) == set(rules), run.stdout[-6000:]
    failures = run.stdout.split("=" * 30 + " failures " + "=" * 30)[-1]
    for off in selftest.off_contracts:
        section = failures.split(f"\n{off.rule}: ")[1].split(f"\n\n{selftest.profile.upper()}-")[0]
        assert off.evidence in section, f"{off.rule}: {off.evidence!r} not in\n{section[:3000]}"
