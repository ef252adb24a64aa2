"""The pytest plugin, run as a fleetbox user runs it (pytest in a subprocess): a sandbox per test with no
leakage, under xdist too, deleted after failures; the journal assertion's message; the report section."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from .conftest import run_pytest, sandbox_ids

ISOLATION = """
import json, os, pathlib
import pytest

OUT = pathlib.Path({out!r})

@pytest.mark.parametrize("n", range(6))
@pytest.mark.fleetbox(seed=5, size=3)
def test_a_world_of_its_own(fleetbox_sandbox, n):
    trimble = fleetbox_sandbox.trimble
    with trimble.client(trimble.token()) as http:
        before = http.get("/vehicles", params={{"limit": 100}}).json()["data"]
        http.post("/vehicles", json=[{{"vehicleId": f"ISO-{{n}}", "Name": f"iso {{n}}"}}]).raise_for_status()
    seen = {{
        "id": fleetbox_sandbox.id,
        "before": sorted(v["vehicleId"] for v in before),
        "requests": len(fleetbox_sandbox.journal.requests()),
        "worker": os.environ.get("PYTEST_XDIST_WORKER"),
    }}
    (OUT / f"{{n}}.json").write_text(json.dumps(seen))
    fleetbox_sandbox.clock.advance(days=1)
    assert n % 3 != 2, "fails on purpose"
"""

REPORTING = """
import json, pathlib

def pytest_runtest_logreport(report):
    if report.when == "call":
        path = pathlib.Path({out!r})
        seen = json.loads(path.read_text()) if path.exists() else {{}}
        seen[report.nodeid.split("::")[-1]] = [title for title, _ in report.sections if "fleetbox" in title]
        path.write_text(json.dumps(seen))
"""

JOURNAL = """
def test_expects_a_post(fleetbox_sandbox):
    trimble = fleetbox_sandbox.trimble
    with trimble.client(trimble.token()) as http:
        for _ in range(3):
            http.get("/vehicles")
    fleetbox_sandbox.journal.assert_requested("POST", "/vehicles", times=1)

def test_passes(fleetbox_sandbox):
    fleetbox_sandbox.journal.assert_requested("GET", "/vehicles", times=0)
"""


def write(directory: Path, name: str, text: str) -> None:
    (directory / name).write_text(textwrap.dedent(text))


def outcomes(run) -> dict[str, int]:
    summary = run.stdout.strip().splitlines()[-1]
    return {word: int(count) for count, word in re.findall(r"(\d+) (passed|failed|error)", summary)}


@pytest.mark.parametrize("where", ["in-process", "FLEETBOX_URL"])
def test_a_sandbox_per_test_with_no_leakage_under_xdist_deleted_after_failures(tmp_path, where, standalone_server):
    out = tmp_path / "out"
    out.mkdir()
    write(tmp_path, "test_isolation.py", ISOLATION.format(out=str(out)))
    url = standalone_server if where == "FLEETBOX_URL" else None

    run = run_pytest(tmp_path, "-n", "2", fleetbox_url=url)

    assert outcomes(run) == {"passed": 4, "failed": 2}, run.stdout[-3000:] + run.stderr[-2000:]
    seen = [json.loads(path.read_text()) for path in sorted(out.glob("*.json"))]
    assert len({s["id"] for s in seen}) == 6, "every test has a sandbox of its own"
    assert {s["worker"] for s in seen} == {"gw0", "gw1"}
    # Each test finds the seed's world untouched by the others' vehicles, and a journal of its own requests.
    assert len({tuple(s["before"]) for s in seen}) == 1 and len(seen[0]["before"]) == 3
    assert not any(v.startswith("ISO-") for s in seen for v in s["before"])
    assert {s["requests"] for s in seen} == {3}
    # The two failures' reports, sent back from the workers, each show their sandbox's exchanges.
    assert len(re.findall(r"fleetbox sandbox pytest-gw[01]-[0-9a-f]{8}: last exchanges", run.stdout)) == 2
    if url:
        assert sandbox_ids(url) == {"default"}, "the sandboxes of passed and failed tests are all deleted"


def test_the_journal_assertion_lists_what_was_received_and_a_failure_reports_the_last_exchanges(tmp_path):
    sections = tmp_path / "sections.json"
    write(tmp_path, "conftest.py", REPORTING.format(out=str(sections)))
    write(tmp_path, "test_journal.py", JOURNAL)

    run = run_pytest(tmp_path)

    assert outcomes(run) == {"passed": 1, "failed": 1}, run.stdout[-3000:]
    assert "expected 1 POST /vehicles, got 0; received: POST /accounts/authenticate, GET /vehicles x3" in run.stdout
    # pytest shows the test's line, not the helper's.
    assert "conformance/client/journal.py" not in run.stdout
    assert re.search(r"-+ fleetbox sandbox pytest-main-[0-9a-f]{8}: last exchanges -+", run.stdout)
    assert "#1 trimble POST /accounts/authenticate -> 200" in run.stdout
    assert "#4 trimble GET /vehicles -> 200" in run.stdout
    assert json.loads(sections.read_text()) == {
        "test_expects_a_post": [
            "fleetbox sandbox " + re.search(r"pytest-main-[0-9a-f]{8}", run.stdout)[0] + ": last exchanges"
        ],
        "test_passes": [],
    }


def test_unused_it_imports_nothing_heavy(tmp_path):
    write(
        tmp_path,
        "test_plain.py",
        """
        import sys

        def test_plain(pytestconfig):
            assert pytestconfig.pluginmanager.hasplugin("fleetbox") or pytestconfig.pluginmanager.hasplugin(
                "mockserver.pytest_plugin"
            )
            heavy = {"mockserver.app", "conformance.client", "uvicorn", "connexion"} & set(sys.modules)
            assert not heavy
        """,
    )
    run = run_pytest(tmp_path)
    assert outcomes(run) == {"passed": 1}, run.stdout[-3000:]
