"""The suite judges every implementation it can talk to: a server that breaks the basics (accepts any key,
answers every documented path with a fixed body, as a spec-driven mock does) gets a report with failing
rules and exit status 1; only what is plainly not the API (nothing listening, HTML pages, nothing at the
documented paths) is refused, with exit status 2 and one line."""

from __future__ import annotations

import json
import threading

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

from conformance.contract import contract_of

from ..support import failed_rules, free_port, run_check
from .standin import StandIn

pytestmark = pytest.mark.slow

# For each profile, rules a server that accepts any credential and answers fixed bodies must fail.
MUST_FAIL = {
    "trimble": {"TRIMBLE-AUTH-04", "TRIMBLE-AUTH-05", "TRIMBLE-AUTH-06", "TRIMBLE-AUTH-10"},
    "invers": {"INVERS-AUTH-02", "INVERS-AUTH-04", "INVERS-AUTH-05", "INVERS-HDR-01"},
    "hourfleet": {"HOURFLEET-AUTH-01"},
}


@pytest.fixture
def standin():
    made = []

    def make(profile: str, **options) -> StandIn:
        made.append(StandIn(f"{profile}.yaml", contract_of(f"{profile}.yaml").base_path, **options).start())
        return made[-1]

    yield make
    for server in made:
        server.stop()


@pytest.mark.parametrize("profile", sorted(MUST_FAIL))
def test_a_server_that_breaks_the_basics_is_judged_not_refused(sandbox, standin, tmp_path, profile):
    credentials, report = tmp_path / "credentials.json", tmp_path / "report.json"
    # Credentials of the right shape; the stand-in accepts any.
    credentials.write_text(json.dumps(sandbox.data["credentials"][profile]))
    server = standin(profile)
    run = run_check(
        server.url,
        "--credentials",
        str(credentials),
        "--max-examples",
        "2",
        "--seed",
        "1",
        "--json",
        str(report),
        profile=profile,
    )
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-2000:]
    assert "does not look like" not in run.stderr
    assert MUST_FAIL[profile] <= failed_rules(run), sorted(failed_rules(run))
    verdicts = {rule["id"]: rule for rule in json.loads(report.read_text())["rules"]}
    # Schemathesis judged it too: an API that answers without a token breaks the contract.
    assert any(r["verdict"] == "failed" and r["layer"] == "contract" for r in verdicts.values())
    # Every rule is judged: none is lost to the stand-in's wrong answers.
    assert set(verdicts) >= MUST_FAIL[profile] and len(verdicts) > 50
    for rule_id in MUST_FAIL[profile]:
        failed = verdicts[rule_id]
        assert failed["verdict"] == "failed" and failed["expected"], failed
        # Its evidence: what was sent and what came back (Schemathesis' report for contract rules).
        assert failed["exchanges"] or failed["details"], failed


def html_server():
    """A website: every path answers 200 with an HTML page."""
    page = Response("<!doctype html><title>Welcome</title><p>Our fleet portal", content_type="text/html")
    server = make_server("127.0.0.1", free_port(), lambda environ, start: page(environ, start), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize("profile", sorted(MUST_FAIL))
def test_only_what_is_plainly_not_the_api_is_refused(standin, tmp_path, profile):
    credentials = tmp_path / "credentials.json"
    credentials.write_text("{}" if profile == "hourfleet" else "[]")
    website = html_server()
    try:
        html = run_check(
            f"http://127.0.0.1:{website.server_port}/api", "--credentials", str(credentials), profile=profile
        )
    finally:
        website.shutdown()
    assert html.returncode == 2 and "HTML page" in html.stderr, html.stderr
    empty = standin(profile, paths=False)
    nothing = run_check(empty.url, "--credentials", str(credentials), profile=profile)
    assert nothing.returncode == 2 and "no documented path is there" in nothing.stderr, nothing.stderr
    unreachable = run_check(f"http://127.0.0.1:{free_port()}/api", profile=profile)
    assert unreachable.returncode == 2 and "cannot reach" in unreachable.stderr
    tls = run_check(f"https://127.0.0.1:{empty.port}/api", profile=profile)
    assert tls.returncode == 2 and "TLS" in tls.stderr, tls.stderr
    for refused in (html, nothing, unreachable, tls):
        assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
