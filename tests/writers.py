"""64 clients writing to one sandbox at once, and what they must find afterwards (used by the test of one
server, and by the store's test of several instances over one store).

Every client adds its own vehicles, renames some, deletes some, and all of them race to add one shared
id. Afterwards the counts must add up exactly, the race must have exactly one winner, and the journal
must hold one entry per request with no repeated sequence number.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

CLIENTS = 64
BATCHES = 3
PER_BATCH = 5


def run_client(number: int, base: str, token: str, start: threading.Barrier) -> dict:
    headers = {"Authorization": f"bearer {token}"}
    spans, added, race_won = [], [], False
    with httpx.Client(base_url=base, headers=headers, timeout=60) as http:

        def timed(method: str, path: str, **kwargs) -> httpx.Response:
            begun = time.perf_counter()
            response = http.request(method, path, **kwargs)
            spans.append((begun, time.perf_counter()))
            assert response.status_code == 200, response.text
            return response

        start.wait()
        for batch in range(BATCHES):
            items = [
                {"vehicleId": f"c{number}-{batch}-{i}", "Name": f"client {number} batch {batch} item {i}"}
                for i in range(PER_BATCH)
            ]
            body = timed("POST", "/vehicles", json=items).json()
            assert "error" not in body
            added += [v["VehicleId"] for v in body["data"]]
        renamed = timed("PUT", "/vehicles", json=[{"vehicleId": added[0], "Name": f"renamed by {number}"}]).json()
        assert renamed["data"][0]["Name"] == f"renamed by {number}"
        timed("DELETE", "/vehicles", params={"vehicleId": added[-1]})
        race = timed("POST", "/vehicles", json=[{"vehicleId": "contested", "Name": "contested"}]).json()
        race_won = bool(race["data"])
    return {"kept": added[:-1], "renamed": added[0], "spans": spans, "won": race_won}


def race(bases: list[str], token: str) -> list[dict]:
    """CLIENTS clients at once, client n talking to `bases[n % len(bases)]`."""
    start = threading.Barrier(CLIENTS)
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return list(pool.map(lambda n: run_client(n, bases[n % len(bases)], token, start), range(CLIENTS)))


def assert_nothing_lost(client, before: int, results: list[dict], journal: list[dict]) -> None:
    """The invariants: counts add up, ids never repeat, one winner of the race, whole batches only."""
    listed = {v["vehicleId"]: v for v in client.get("/vehicles", params={"limit": 1000}).json()["data"]}
    kept = [vehicle_id for result in results for vehicle_id in result["kept"]]
    assert len(listed) == before + len(kept) + 1  # + the one contested vehicle
    assert all(vehicle_id in listed for vehicle_id in kept)
    assert len({v["id"] for v in listed.values()}) == len(listed), "system ids must never repeat"
    assert all(listed[r["renamed"]]["name"] == f"renamed by {n}" for n, r in enumerate(results))
    assert sum(result["won"] for result in results) == 1, "exactly one client adds the contested id"

    # The requests really overlapped: at some instant many were in flight together.
    events = sorted(
        [(b, 1) for r in results for b, _ in r["spans"]] + [(e, -1) for r in results for _, e in r["spans"]]
    )
    in_flight = peak = 0
    for _, step in events:
        in_flight += step
        peak = max(peak, in_flight)
    assert peak >= 8

    sequence = [entry["seq"] for entry in journal]
    assert len(sequence) == len(set(sequence))
    writes = [e for e in journal if e["method"] in ("POST", "PUT", "DELETE") and e["path"].endswith("/vehicles")]
    assert len(writes) == CLIENTS * (BATCHES + 3)
