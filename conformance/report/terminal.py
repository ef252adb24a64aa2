"""The summary a person reads at the end of `fleetbox check`: every failure with its evidence."""

from __future__ import annotations

import textwrap

from ..results import DEVIATION, FAILED, NOT_CHECKED, RunSummary

MAX_DETAIL_LINES = 30


def render(summary: RunSummary) -> str:
    lines = []
    failures = [r for r in summary.results if r.outcome == FAILED]
    if failures:
        lines += ["", "=" * 30 + " failures " + "=" * 30]
    for result in failures:
        lines += ["", f"{result.rule.id}: {result.rule.sentence}"]
        if result.expected:
            lines += [textwrap.indent("\n".join(result.expected.splitlines()[:6]), "  ! ")]
        if result.exchanges:
            lines += ["  last exchange:", textwrap.indent(_capped(result.exchanges[-1].render()), "    ")]
        elif result.details:
            lines += [textwrap.indent(_capped(result.details), "    ")]
    for outcome, title in ((DEVIATION, "accepted deviations"), (NOT_CHECKED, "not checked")):
        listed = [r for r in summary.results if r.outcome == outcome]
        if listed:
            lines += ["", f"{title}:"] + [f"  {r.rule.id}: {r.note}" for r in listed]
    if summary.read_only:
        skipped = sum(1 for r in summary.results if r.outcome == NOT_CHECKED and r.rule.writes)
        lines += ["", f"--read-only: {skipped} rules that write were not run (listed above with what they write)"]
    lines += ["", summary.headline()]
    if summary.seed is not None:
        lines.append(f"(Schemathesis seed {summary.seed}; pass --seed {summary.seed} to repeat its requests)")
    return "\n".join(lines)


def _capped(text: str) -> str:
    lines = text.splitlines()
    if len(lines) <= MAX_DETAIL_LINES:
        return text
    return "\n".join(
        lines[:MAX_DETAIL_LINES] + [f"... ({len(lines) - MAX_DETAIL_LINES} more lines in the HTML report)"]
    )
