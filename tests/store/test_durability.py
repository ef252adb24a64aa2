"""Every write a client saw acknowledged survives a `kill -9` of the server under write load, and a restart."""

from __future__ import annotations

import threading
import time

import httpx

from ..support import TRIMBLE_BASE
from .test_instances import create, token_of, trimble_on

WRITERS = 8
MAX_WRITES_EACH = 150


def test_every_acknowledged_write_survives_a_kill_9_under_load(fleetbox, store_url):
    server = fleetbox(store_url)
    sandbox = create(server)
    token = token_of(sandbox.trimble("direct"))
    acknowledged: set[str] = set()
    guard = threading.Lock()
    stop = threading.Event()

    def write(number: int) -> None:
        headers = {"Authorization": f"bearer {token}"}
        with httpx.Client(base_url=server.url + TRIMBLE_BASE, headers=headers, timeout=10) as http:
            for i in range(MAX_WRITES_EACH):
                if stop.is_set():
                    return
                vehicle_id = f"kill-{number}-{i}"
                try:
                    response = http.post("/vehicles", json=[{"vehicleId": vehicle_id, "Name": f"kill {number} {i}"}])
                except httpx.HTTPError:
                    return  # the server died under this request: not acknowledged
                if response.status_code == 200 and response.json().get("data"):
                    with guard:
                        acknowledged.add(vehicle_id)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 80 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()  # in the middle of the load: requests are in flight
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert len(acknowledged) >= 80, "the load never got going"

    restarted = fleetbox(store_url)
    listed = trimble_on(restarted, token).get("/vehicles", params={"limit": 1000})  # the token survived too
    assert listed.status_code == 200, listed.text
    kept = {v["vehicleId"] for v in listed.json()["data"]}
    assert acknowledged <= kept, f"lost {len(acknowledged - kept)} acknowledged writes"
