"""Rules: one documented behaviour each, with a stable id and one sentence that states it.

Scenario rules are pytest tests decorated with `@rule(...)`; contract rules are made from the spec's
operations. Both land in `REGISTRY`, which the command line reads to list rules, check `--only`
patterns and deviation files, and the pytest plugin reads to report by rule.
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Callable
from dataclasses import dataclass

# Layers, in the order a report lists them.
CONTRACT, STATEFUL, SCENARIO = "contract", "stateful", "scenario"


@dataclass(frozen=True)
class Rule:
    id: str
    sentence: str
    area: str
    # The name of the profile whose suite holds the rule.
    profile: str
    layer: str = SCENARIO
    # What the rule creates or changes on the target (and removes or puts back when it ends), in a few
    # words; None for a rule that only reads, which `--read-only` runs against a production API.
    writes: str | None = None

    def __str__(self) -> str:
        return f"{self.id}: {self.sentence}"


REGISTRY: dict[str, Rule] = {}


def register(new: Rule) -> Rule:
    """Add a rule; an id may be registered once (the same rule again is fine, for re-imports)."""
    existing = REGISTRY.get(new.id)
    if existing is not None and existing != new:
        raise ValueError(f"rule id {new.id} is used twice: {existing} / {new}")
    REGISTRY[new.id] = new
    return new


def rule(rule_id: str, sentence: str, area: str, *, writes: str | None = None) -> Callable:
    """Mark a test function as the check of one rule; `writes` says what it creates or changes on the
    target (None: it only reads)."""

    def mark(function: Callable) -> Callable:
        profile = profile_of_module(function.__module__)
        function.fleetbox_rule = register(Rule(rule_id, sentence, area, profile, writes=writes))
        return function

    return mark


def profile_of_module(module: str) -> str:
    """The profile whose suite package holds `module`: the nearest enclosing package with a `PROFILE`."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        profile = getattr(sys.modules.get(".".join(parts[:end])), "PROFILE", None)
        if profile is not None:
            return profile.name
    raise LookupError(f"{module} is in no suite package (a package whose PROFILE is a ConformanceProfile)")


def rules_of(profile: str) -> list[Rule]:
    return [r for r in REGISTRY.values() if r.profile == profile]


def select(profile: str, patterns: list[str]) -> tuple[set[str], list[str]]:
    """The rule ids matching any of `patterns` (exact ids or shell-style wildcards), and the
    patterns that match nothing."""
    known = [r.id for r in rules_of(profile)]
    chosen: set[str] = set()
    unmatched = []
    for pattern in patterns:
        # Ids are matched case-insensitively: contract rules carry camelCase operationIds.
        hits = [rule_id for rule_id in known if fnmatch.fnmatchcase(rule_id.lower(), pattern.lower())]
        chosen.update(hits)
        if not hits:
            unmatched.append(pattern)
    return chosen, unmatched
