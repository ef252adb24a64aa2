"""A machine-readable report for CI systems and dashboards: every rule with its verdict, time, evidence,
and the requests and responses it made."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from ..http import Exchange
from ..results import OUTCOME_ORDER, RuleResult, RunSummary

# Bumped when a field changes meaning or goes away (new fields may appear at any time).
FORMAT_VERSION = 1


def document(summary: RunSummary) -> dict:
    """The report as plain data (what `write` stores as JSON)."""
    return {
        "format": FORMAT_VERSION,
        "profile": summary.profile,
        "base_url": summary.base_url,
        "seed": summary.seed,
        "read_only": summary.read_only,
        "duration": round(summary.duration, 3),
        "counts": {outcome: summary.count(outcome) for outcome in OUTCOME_ORDER},
        "rules": [_rule(result) for result in sorted(summary.results, key=lambda r: r.rule.id)],
    }


def _rule(result: RuleResult) -> dict:
    rule = result.rule
    return {
        "id": rule.id,
        "sentence": rule.sentence,
        "area": rule.area,
        "layer": rule.layer,
        "writes": rule.writes,
        "wrote": result.wrote,
        "verdict": result.outcome,
        "duration": round(result.duration, 3),
        "expected": result.expected,
        "details": result.details,
        "note": result.note,
        "exchanges": [_exchange(exchange) for exchange in result.exchanges],
    }


def _exchange(exchange: Exchange) -> dict:
    data = asdict(exchange)
    return {
        "request": {
            "method": data["method"],
            "url": data["url"],
            "headers": data["request_headers"],
            "body": data["request_body"],
        },
        "response": {"status": data["status"], "headers": data["response_headers"], "body": data["response_body"]},
    }


def write(summary: RunSummary, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document(summary), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
