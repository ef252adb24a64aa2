"""Sum up alternating rounds: each server's median and spread per scenario, the table, and the JSON record."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bench_wrk import Measurement

ROOT = Path(__file__).resolve().parent.parent


def summarise(rounds: list[Measurement]) -> dict:
    """The median of the rounds (throughput and latencies), the throughput's spread, and every failure counted."""
    if not rounds:
        raise ValueError("no rounds to summarise")
    rates = [m.requests_per_second for m in rounds]
    return {
        "rounds": len(rounds),
        "median_rps": round(statistics.median(rates), 1),
        "min_rps": round(min(rates), 1),
        "max_rps": round(max(rates), 1),
        "median_p50_ms": round(statistics.median(m.p50_ms for m in rounds), 2),
        "median_p99_ms": round(statistics.median(m.p99_ms for m in rounds), 2),
        "requests": sum(m.requests for m in rounds),
        "non_2xx": sum(m.non_2xx for m in rounds),
        "socket_errors": sum(m.socket_errors for m in rounds),
        "timeouts": sum(m.timeouts for m in rounds),
    }


def ratio(ours: dict, theirs: dict) -> float:
    """fleetbox's median throughput over Prism's (the ratio of the medians, not a median of ratios)."""
    return round(ours["median_rps"] / theirs["median_rps"], 3) if theirs["median_rps"] else float("inf")


def problems(name: str, summary: dict) -> list[str]:
    """Why a server's figures do not measure what the scenario means: errors instead of answers."""
    found = []
    if summary["non_2xx"]:
        found.append(f"{name} answered {summary['non_2xx']} of {summary['requests']} requests with a non-2xx status")
    if summary["socket_errors"]:
        found.append(f"{name} had {summary['socket_errors']} connect/read/write errors")
    return found


def compare(label: str, profile: str, samples: dict[str, list[Measurement]]) -> dict:
    """One scenario's record: each server's summary, the ratio, whether they compare, and the raw rounds."""
    fleetbox, prism = summarise(samples["fleetbox"]), summarise(samples["prism"])
    issues = problems("fleetbox", fleetbox) + problems("Prism", prism)
    return {
        "scenario": label,
        "profile": profile,
        "fleetbox": fleetbox,
        "prism": prism,
        "ratio": ratio(fleetbox, prism),
        "comparable": not issues,
        "problems": issues,
        "raw": {name: [asdict(m) for m in rounds] for name, rounds in samples.items()},
    }


def table(scenarios: list[dict]) -> str:
    """The comparison as text: medians, their spread (min-max), median latencies, the ratio of medians."""
    head = (
        f"{'scenario':<22} | {'fleetbox req/s':>14} {'min-max':>11} {'p50':>6} {'p99':>7} | "
        f"{'Prism req/s':>11} {'min-max':>11} {'p50':>6} {'p99':>7} | fleetbox/Prism"
    )
    lines = [head, "-" * len(head)]
    for each in scenarios:
        ours, theirs = each["fleetbox"], each["prism"]
        verdict = f"{each['ratio']:6.2f}x" if each["comparable"] else "NOT COMPARABLE"
        lines.append(
            f"{each['scenario']:<22} | {ours['median_rps']:14.1f} {_spread(ours):>11} {ours['median_p50_ms']:6.1f} "
            f"{ours['median_p99_ms']:7.1f} | {theirs['median_rps']:11.1f} {_spread(theirs):>11} "
            f"{theirs['median_p50_ms']:6.1f} {theirs['median_p99_ms']:7.1f} | {verdict}"
        )
        for problem in each["problems"]:
            lines.append(f"{'':<22}   NOT COMPARABLE: {problem}")
        for name, summary in (("fleetbox", ours), ("Prism", theirs)):
            if summary["timeouts"]:
                count = summary["timeouts"]
                lines.append(f"{'':<22}   note: {count} {name} request{'s' * (count != 1)} timed out (wrk's 2 s)")
    lines.append("(req/s: median of the rounds; min-max: their spread; p50/p99: medians in ms)")
    return "\n".join(lines)


def _spread(summary: dict) -> str:
    return f"{summary['min_rps']:.0f}-{summary['max_rps']:.0f}"


def machine() -> dict:
    """What ran the bench: CPU, cores, Python, Node, wrk and the commit measured."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "node": _output(["node", "--version"]),
        "wrk": (_output(["wrk", "--version"]) or "").splitlines()[0] if shutil.which("wrk") else None,
        "commit": _output(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]),
        "dirty": bool(_output(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"])),
    }


def record(settings: dict, servers: dict, scenarios: list[dict]) -> dict:
    """The JSON written beside the table: when, where, how, and every round's raw numbers."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": settings,
        "servers": servers,
        "scenarios": scenarios,
    }


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _output(command: list[str]) -> str | None:
    if not shutil.which(command[0]):
        return None
    # wrk prints its version on stderr and exits 1, so both streams count and the status does not.
    done = subprocess.run(command, capture_output=True, text=True, timeout=10)
    return (done.stdout + done.stderr).strip() or None
