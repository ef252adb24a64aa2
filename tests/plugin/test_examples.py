"""The examples' tests pass against a separately started server named by FLEETBOX_URL (the test suite itself
runs them against the in-process server), and leave no sandbox behind."""

from __future__ import annotations

import re

from .conftest import ROOT, run_pytest, sandbox_ids


def test_the_examples_pass_against_a_server_named_by_fleetbox_url(standalone_server):
    run = run_pytest(ROOT, "examples", "-p", "no:xdist", fleetbox_url=standalone_server)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    passed = int(re.search(r"(\d+) passed", run.stdout)[1])
    assert passed == len(
        re.findall(r"^def test_", "".join(p.read_text() for p in (ROOT / "examples").rglob("test_*.py")), re.M)
    )
    assert sandbox_ids(standalone_server) == {"default"}
