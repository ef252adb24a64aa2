"""A single-file HTML report a person reads in a browser: areas, failures first, evidence inline."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import jinja2

from ..results import DEVIATION, FAILED, NOT_CHECKED, PASSED, RunSummary

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("conformance.report", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def write(summary: RunSummary, path: Path) -> None:
    page = _TEMPLATES.get_template("report.html").render(
        summary=summary,
        areas=summary.by_area(),
        created=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        PASSED=PASSED,
        FAILED=FAILED,
        DEVIATION=DEVIATION,
        NOT_CHECKED=NOT_CHECKED,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
