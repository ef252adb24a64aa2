"""JUnit XML for CI: one test suite per area, one test case per rule, named by its id and sentence."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

from ..results import DEVIATION, FAILED, NOT_CHECKED, RunSummary


def write(summary: RunSummary, path: Path) -> None:
    suites = ElementTree.Element("testsuites", name=f"fleetbox check {summary.profile}", time=f"{summary.duration:.3f}")
    for area, results in summary.by_area().items():
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=f"{summary.profile}: {area}",
            tests=str(len(results)),
            failures=str(sum(r.outcome == FAILED for r in results)),
            skipped=str(sum(r.outcome in (DEVIATION, NOT_CHECKED) for r in results)),
            time=f"{sum(r.duration for r in results):.3f}",
        )
        for result in results:
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=f"fleetbox.{summary.profile}.{area.lower().replace(' ', '_')}",
                name=f"{result.rule.id}: {result.rule.sentence}",
                time=f"{result.duration:.3f}",
            )
            if result.outcome == FAILED:
                failure = ElementTree.SubElement(case, "failure", message=(result.expected or "failed")[:500])
                evidence = [exchange.render() for exchange in result.exchanges[-3:]] or [result.details or ""]
                failure.text = "\n\n".join(evidence)
            elif result.outcome == DEVIATION:
                ElementTree.SubElement(case, "skipped", message=f"accepted deviation: {result.note}")
            elif result.outcome == NOT_CHECKED:
                ElementTree.SubElement(case, "skipped", message=f"not checked: {result.note}")
    path.parent.mkdir(parents=True, exist_ok=True)
    ElementTree.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)
