"""What one request costs fleetbox in CPU, without a network or a load generator: the ASGI app driven directly.

    python bench/request_cost.py [--store memory|sqlite] [--requests 1500] [--rounds 3] [--profile DIR]
                                 [--instructions] [scenario ...]

Scenarios are the ones `bench/bench.py` puts under load (trimble page, one, post; invers page; hourfleet
cars). Each is warmed with 200 requests, then measured in `--rounds` rounds; the best round's CPU time per
request is reported (the least disturbed by whatever else the machine runs; CPU time counts every thread,
so the store's background journal writer is in it). `--profile DIR` writes a cProfile of one more round per
scenario. Use it to see what a change buys before `make bench` measures it against Prism.

`--instructions` counts instructions per request instead (valgrind's callgrind, every thread, the set-up and
warm-up left out): a figure a machine busy with other work does not disturb, for A/B runs of two trees. It
leaves out what the kernel does (file locks, writes), and runs some 50 times slower: use a few hundred requests.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import cProfile
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mockserver.app import create_app  # noqa: E402
from mockserver.settings import Settings  # noqa: E402

TRIMBLE = "/trimble/api/assets/v1"
JSON = [(b"content-type", b"application/json")]
SCENARIOS = ("page", "one", "post", "invers", "hourfleet")


class Client:
    """Requests straight into the ASGI app: one scope, one body, the answer collected."""

    def __init__(self, app) -> None:
        self.app = app

    async def call(self, method: str, path: str, query: bytes = b"", body: bytes = b"", headers=()) -> tuple:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query,
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1"), (b"content-length", str(len(body)).encode()), *headers],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
        }
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive():
            return messages.pop() if messages else {"type": "http.disconnect"}

        answer = {"status": 0, "body": b""}

        async def send(message):
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            elif message["type"] == "http.response.body":
                answer["body"] += message.get("body", b"")

        await self.app(scope, receive, send)
        return answer["status"], answer["body"]

    async def json(self, method: str, path: str, body: bytes = b"", headers=()) -> dict:
        status, answer = await self.call(method, path, body=body, headers=headers)
        assert status < 300, (status, answer)
        return json.loads(answer)


async def scenarios(client: Client) -> dict[str, Callable[[int], Awaitable[tuple]]]:
    """Each scenario as a function of the request's number, with tokens fetched the vendors' ways."""
    sandbox = await client.json("POST", "/__sandbox/sandboxes", b"{}", JSON)
    credentials = sandbox["credentials"]
    key = next(a["apiKey"] for a in credentials["trimble"] if a["type"] == "direct")
    login = await client.json("POST", f"{TRIMBLE}/accounts/authenticate", json.dumps({"apiKey": key}).encode(), JSON)
    trimble = [(b"authorization", f"Bearer {login['token']}".encode())]
    invers_client = credentials["invers"][0]
    basic = base64.b64encode(f"{invers_client['client_id']}:{invers_client['client_secret']}".encode())
    form = [(b"content-type", b"application/x-www-form-urlencoded")]
    issued = await client.json(
        "POST",
        "/invers/auth/oauth/token",
        b"grant_type=client_credentials",
        [(b"authorization", b"Basic " + basic), *form],
    )
    invers = [(b"authorization", f"Bearer {issued['access_token']}".encode()), (b"accept", b"application/json")]
    application = credentials["hourfleet"]["client_applications"][0]
    body = f"grant_type=client_credentials&client_id={application['client_id']}"
    body += f"&client_secret={application['client_secret']}"
    issued = await client.json("POST", "/hourfleet/api/oauth/token", body.encode(), form)
    hourfleet = [(b"authorization", f"Bearer {issued['access_token']}".encode()), (b"accept", b"application/json")]

    def batch(n: int) -> bytes:
        return json.dumps([{"vehicleId": f"cost-{n}-{i}", "Name": f"cost {n} {i}"} for i in range(10)]).encode()

    return {
        "page": lambda n: client.call("GET", f"{TRIMBLE}/vehicles", b"limit=20", headers=trimble),
        "one": lambda n: client.call(
            "GET", f"{TRIMBLE}/vehicles", f"offset={n % 25}&limit=1".encode(), headers=trimble
        ),
        "post": lambda n: client.call("POST", f"{TRIMBLE}/vehicles", body=batch(n), headers=trimble + JSON),
        "invers": lambda n: client.call("GET", "/invers/vehicles", b"limit=20", headers=invers),
        "hourfleet": lambda n: client.call("GET", "/hourfleet/api/cars", b"Limit=20", headers=hourfleet),
    }


async def measure(args) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        store = "memory" if args.store == "memory" else f"sqlite:///{scratch}/store.sqlite"
        client = Client(create_app(Settings(store=store)))
        await client.call("GET", "/__sandbox/health")
        requests = await scenarios(client)
        numbers = iter(range(10**9))
        for name in args.scenario or SCENARIOS:
            send = requests[name]

            async def run(count: int, send=send) -> None:
                for _ in range(count):
                    status, body = await send(next(numbers))
                    assert status < 300, (status, body[:300])

            await run(200)
            if args.counted_by_callgrind:
                time.sleep(0.3)  # the journal's background writer catches up, outside the count
                callgrind("on")
                await run(args.requests)
                time.sleep(0.3)  # and writes what these requests queued, inside it
                callgrind("off")
                continue
            rounds = []
            for _ in range(args.rounds):
                started = time.process_time()
                await run(args.requests)
                rounds.append((time.process_time() - started) / args.requests * 1e6)
            spread = ", ".join(f"{cost:.0f}" for cost in rounds)
            print(f"{name:10} {min(rounds):6.0f} µs CPU per request (best of rounds: {spread}) [{args.store}]")
            if args.profile:
                profile = cProfile.Profile(time.thread_time)
                profile.enable()
                await run(args.requests)
                profile.disable()
                Path(args.profile).mkdir(parents=True, exist_ok=True)
                profile.dump_stats(Path(args.profile) / f"{name}-{args.store}.prof")


def callgrind(switch: str) -> None:
    """Switch callgrind's instrumentation of this very process; waited for while running Python (valgrind reads
    the command only while this process runs)."""
    command = subprocess.Popen(["callgrind_control", "-i", switch, str(os.getpid())], stdout=subprocess.DEVNULL)
    while command.poll() is None:
        time.sleep(0.01)


def count_instructions(args) -> None:
    """Each scenario in a process of its own under callgrind; the instructions it counted, per request."""
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.scenario or SCENARIOS:
            out = Path(scratch) / f"{name}.callgrind"
            command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}"]
            command += [sys.executable, __file__, name, "--store", args.store, "--requests", str(args.requests)]
            subprocess.run([*command, "--counted-by-callgrind"], check=True, capture_output=True)
            total = int(re.search(r"^totals: (\d+)", out.read_text(), re.MULTILINE).group(1))
            print(f"{name:10} {total / args.requests:9.0f} instructions per request [{args.store}]", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", nargs="*", choices=[*SCENARIOS, []])
    parser.add_argument("--store", choices=("memory", "sqlite"), default="sqlite")
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", help="a directory for one cProfile per scenario")
    parser.add_argument("--instructions", action="store_true", help="count instructions per request (callgrind)")
    parser.add_argument("--counted-by-callgrind", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.instructions:
        count_instructions(args)
    else:
        asyncio.run(measure(args))


if __name__ == "__main__":
    main()
