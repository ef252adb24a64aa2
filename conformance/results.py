"""What a run found, rule by rule: the model every report is written from."""

from __future__ import annotations

from dataclasses import dataclass, field

from .http import Exchange
from .rules import CONTRACT, SCENARIO, STATEFUL, Rule

PASSED, FAILED, DEVIATION, NOT_CHECKED = "passed", "failed", "accepted deviation", "not checked"
# Failures first, then what a reader must still look at, then the rest.
OUTCOME_ORDER = {FAILED: 0, DEVIATION: 1, NOT_CHECKED: 2, PASSED: 3}
LAYER_ORDER = {SCENARIO: 0, CONTRACT: 1, STATEFUL: 2}


@dataclass
class RuleResult:
    rule: Rule
    outcome: str
    duration: float = 0.0
    # What was expected and did not happen (one or a few lines), for failures and deviations.
    expected: str | None = None
    # Longer evidence: a traceback, or Schemathesis' report with its curl reproductions.
    details: str | None = None
    exchanges: list[Exchange] = field(default_factory=list)
    # The deviation's reason, why a rule was not checked, or a remark such as a failed clean-up.
    note: str | None = None
    # The requests (method and path) by which the rule may have changed the target, clean-up included.
    wrote: list[str] = field(default_factory=list)


@dataclass
class RunSummary:
    profile: str
    base_url: str
    results: list[RuleResult]
    duration: float
    seed: int | None = None
    # Whether only the rules that change nothing on the target ran (`--read-only`).
    read_only: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    def by_area(self) -> dict[str, list[RuleResult]]:
        """Areas in the order of their most serious result, rules failures-first within each."""
        areas: dict[str, list[RuleResult]] = {}
        for result in self.results:
            areas.setdefault(result.rule.area, []).append(result)
        for results in areas.values():
            results.sort(key=lambda r: (OUTCOME_ORDER[r.outcome], r.rule.id))
        return dict(sorted(areas.items(), key=lambda kv: (min(OUTCOME_ORDER[r.outcome] for r in kv[1]), kv[0])))

    def headline(self) -> str:
        parts = [
            f"{self.count(PASSED)} passed",
            f"{self.count(FAILED)} failed",
            f"{self.count(DEVIATION)} accepted as deviations",
        ]
        if self.count(NOT_CHECKED):
            parts.append(f"{self.count(NOT_CHECKED)} not checked")
        return f"{len(self.results)} rules: " + ", ".join(parts) + f" in {self.duration:.1f}s"
