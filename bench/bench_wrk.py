"""Drive wrk: its command line, the Lua scripts of the trimble scenarios, and the parsing of its report."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

ONE_VEHICLE_LUA = """
function init(args) prefix = args[1]; n = 0 end
function request()
  n = n + 1
  return wrk.format("GET", prefix .. "/vehicles?offset=" .. (n % 25) .. "&limit=1")
end
"""

# args[1] is the API's path prefix; args[2] (optional) tags the ids, so runs in one sandbox never collide.
BATCH_POST_LUA = """
local started = 0
function setup(thread) started = started + 1; thread:set("tid", started) end
function init(args)
  prefix = args[1]; tag = args[2] or "b"; n = 0
  -- wrk.format replaces its default headers when given some, so carry the token over.
  headers = {["Content-Type"] = "application/json"}
  for name, value in pairs(wrk.headers) do headers[name] = value end
end
function request()
  n = n + 1
  local items = {}
  for i = 1, 10 do
    items[i] = string.format('{"vehicleId":"%s%d-%d-%d","Name":"bench %d %d %d"}', tag, tid, n, i, tid, n, i)
  end
  return wrk.format("POST", prefix .. "/vehicles", headers, "[" .. table.concat(items, ",") .. "]")
end
"""

SCRIPTS = {"one": ONE_VEHICLE_LUA, "post": BATCH_POST_LUA}


@dataclass
class Measurement:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    # wrk's "Socket errors": connect, read and write failures, and requests still unanswered after 2 s.
    socket_errors: int = 0
    timeouts: int = 0


def command(
    url: str,
    token: str,
    *,
    threads: int,
    connections: int,
    duration: float,
    script: str | None = None,
    script_args: tuple[str, ...] = (),
    headers: tuple[str, ...] = (),
    pin: list[str] | None = None,
) -> list[str]:
    """The wrk command line: `pin` (a taskset prefix) first, the script's arguments after `--`."""
    line = list(pin or []) + [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{duration:g}s",  # wrk reads "5s", not "5.0s"
        "--latency",
        # Prism compares the scheme name case-sensitively; fleetbox accepts any case, as the vendor does.
        "-H",
        f"Authorization: Bearer {token}",
    ]
    for header in headers:
        line += ["-H", header]
    if script:
        line += ["-s", script]
    line.append(url)
    if script:
        line += ["--", *script_args]
    return line


def run(line: list[str], duration: float) -> Measurement:
    """Run one wrk command (bounded: wrk stops after `duration`, and is killed a minute after that)."""
    output = subprocess.run(line, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    return parse(output)


def parse(output: str) -> Measurement:
    """The figures of wrk's `--latency` report."""

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    connect, read, write, timeout = (int(n) for n in errors.groups()) if errors else (0, 0, 0, 0)
    return Measurement(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=connect + read + write,
        timeouts=timeout,
    )
