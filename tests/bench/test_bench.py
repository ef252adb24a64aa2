"""The bench's pure logic: reading wrk's report, medians and spreads over rounds, the verdict, the command line."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import bench_summary  # noqa: E402
import bench_wrk  # noqa: E402
from bench_wrk import Measurement  # noqa: E402

# Loaded under a name of its own: `bench` alone may already mean the bench/ directory as a namespace package.
_spec = importlib.util.spec_from_file_location("fleetbox_bench", BENCH / "bench.py")
harness = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = harness  # dataclasses look their module up there
_spec.loader.exec_module(harness)

WRK_REPORT = """Running 3s test @ http://127.0.0.1:40123/trimble/api/assets/v1/vehicles?limit=20
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    18.52ms   10.01ms 263.40ms   93.12%
    Req/Sec   870.12    101.44     1.02k    71.67%
  Latency Distribution
     50%  812.00us
     75%   19.87ms
     90%   24.11ms
     99%    1.26s
  5203 requests in 3.00s, 120.22MB read
  Socket errors: connect 1, read 2, write 0, timeout 7
  Non-2xx or 3xx responses: 12
Requests/sec:   1733.42
Transfer/sec:     40.02MB
"""


def rounds(*rates: float, non_2xx: int = 0) -> list[Measurement]:
    return [Measurement(rate, rate / 100, rate / 10, int(rate * 3), non_2xx) for rate in rates]


def test_wrk_report_is_read_in_milliseconds_whatever_its_units():
    measured = bench_wrk.parse(WRK_REPORT)
    assert measured.requests_per_second == 1733.42
    assert measured.p50_ms == pytest.approx(0.812)
    assert measured.p99_ms == 1260
    assert measured.requests == 5203
    assert measured.non_2xx == 12
    assert (measured.socket_errors, measured.timeouts) == (3, 7)


def test_a_clean_wrk_report_has_no_failures():
    clean = "\n".join(line for line in WRK_REPORT.splitlines() if "Socket errors" not in line and "Non-2xx" not in line)
    measured = bench_wrk.parse(clean)
    assert (measured.non_2xx, measured.socket_errors, measured.timeouts) == (0, 0, 0)


def test_the_summary_is_the_median_with_its_spread():
    summary = bench_summary.summarise(rounds(900, 1200, 1000, 1100, 300))
    assert summary["median_rps"] == 1000
    assert (summary["min_rps"], summary["max_rps"]) == (300, 1200)
    assert summary["median_p50_ms"] == 10
    assert summary["median_p99_ms"] == 100
    assert summary["requests"] == 3 * (900 + 1200 + 1000 + 1100 + 300)
    assert summary["rounds"] == 5


def test_no_rounds_is_refused():
    with pytest.raises(ValueError):
        bench_summary.summarise([])


def test_the_ratio_is_of_the_medians():
    compared = bench_summary.compare(
        "page", "trimble", {"fleetbox": rounds(1000, 5000, 1200), "prism": rounds(800, 900, 100)}
    )
    assert compared["ratio"] == pytest.approx(1200 / 800, abs=1e-3)
    assert compared["comparable"] is True
    assert len(compared["raw"]["fleetbox"]) == 3
    assert compared["raw"]["prism"][0]["requests_per_second"] == 800


def test_non_2xx_answers_make_a_scenario_not_comparable():
    compared = bench_summary.compare(
        "page", "invers", {"fleetbox": rounds(1000, 1000, 1000, non_2xx=4), "prism": rounds(800, 800, 800)}
    )
    assert compared["comparable"] is False
    assert "fleetbox answered 12 of 9000 requests with a non-2xx status" in compared["problems"]
    text = bench_summary.table([compared])
    assert "NOT COMPARABLE: fleetbox answered 12" in text
    assert "1.25x" not in text


def test_the_table_shows_medians_spreads_and_the_ratio():
    compared = bench_summary.compare(
        "page", "trimble", {"fleetbox": rounds(1000, 1100, 900), "prism": rounds(500, 400, 600)}
    )
    row = next(line for line in bench_summary.table([compared]).splitlines() if line.startswith("page"))
    assert "1000.0" in row and "900-1100" in row and "400-600" in row and "2.00x" in row


def test_the_record_holds_date_machine_settings_and_rounds():
    compared = bench_summary.compare("page", "trimble", {"fleetbox": rounds(1, 2, 3), "prism": rounds(1, 2, 3)})
    record = bench_summary.record({"rounds": 3}, {"fleetbox": {"rss_mb": 100}}, [compared])
    assert {"date", "machine", "settings", "servers", "scenarios"} <= set(record)
    assert {"cpu", "cores", "python", "node"} <= set(record["machine"])
    json.dumps(record)  # the record is JSON as it stands


def test_wrk_runs_pinned_with_the_script_arguments_last(monkeypatch):
    ran = []
    monkeypatch.setattr(bench_wrk, "run", lambda line, duration: ran.append(line))
    monkeypatch.setattr(harness, "pinned", lambda cpu: ["taskset", "-c", str(cpu)])
    args = harness.parse_args(["--connections", "8", "--threads", "1"])
    harness.wrk("http://127.0.0.1:1", "tok", args, "/tmp/post.lua", 2.0, "/trimble/api/assets/v1", "r1-")
    line = ran[0]
    assert line[:4] == ["taskset", "-c", "1", "wrk"]
    assert line[line.index("-c", 4) + 1] == "8" and line[line.index("-d") + 1] == "2s"
    assert "Authorization: Bearer tok" in line and "Accept: application/json" in line
    assert line[-4:] == ["http://127.0.0.1:1", "--", "/trimble/api/assets/v1", "r1-"]


def test_unpinned_wrk_when_the_harness_is_unpinned(monkeypatch):
    # bench/store.py swaps the harness's `pinned` to run wrk anywhere; the swap must reach the command line.
    ran = []
    monkeypatch.setattr(bench_wrk, "run", lambda line, duration: ran.append(line))
    monkeypatch.setattr(harness, "pinned", lambda cpu: [])
    harness.wrk("http://127.0.0.1:1/x", "tok", harness.parse_args([]), None, 1, "")
    assert ran[0][0] == "wrk" and "--" not in ran[0]


@pytest.mark.parametrize("argv", [["--rounds", "2"], ["--duration", "0"], ["--warmup", "-1"], ["--only", "nope"]])
def test_settings_that_cannot_give_a_fair_median_are_refused(argv):
    with pytest.raises(SystemExit):
        harness.parse_args(argv)


def test_the_defaults_are_the_fair_method():
    args = harness.parse_args([])
    assert (args.warmup, args.duration, args.rounds) == (8, 6, 3)
    assert args.json.name == "last-run.json"
    assert {s.profile for s in harness.SCENARIOS} == {"trimble", "invers", "hourfleet"}
    assert [s.label for s in harness.SCENARIOS if s.writes] == ["trimble POST batch 10"]


def test_the_request_cost_script_drives_every_scenario_to_a_success(capsys):
    """bench/request_cost.py fails on any answer but a 2xx, so this keeps its scenarios valid as the API moves."""
    spec = importlib.util.spec_from_file_location("fleetbox_request_cost", BENCH / "request_cost.py")
    request_cost = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(request_cost)
    request_cost.asyncio.run(
        request_cost.measure(
            request_cost.argparse.Namespace(
                scenario=[], store="sqlite", requests=3, rounds=1, profile=None, counted_by_callgrind=False
            )
        )
    )
    printed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in printed] == list(request_cost.SCENARIOS)
