"""Two fleetbox instances over one store serve one truth: what one acknowledged, the other sees at once."""

from __future__ import annotations

import httpx

from ..support import INVERS_BASE, TRIMBLE_BASE, CheckedClient, SandboxHandle, wait_for
from ..writers import BATCHES, CLIENTS, assert_nothing_lost, race


def create(server, seed: int = 7, size: int = 12, **fields) -> SandboxHandle:
    response = httpx.post(f"{server.url}/__sandbox/sandboxes", json={"seed": seed, "size": size, **fields})
    assert response.status_code == 201, response.text
    return SandboxHandle(server.url, response.json())


def trimble_on(server, token: str) -> CheckedClient:
    return CheckedClient(server.url + TRIMBLE_BASE, "trimble.yaml", {"Authorization": f"bearer {token}"})


def token_of(client: CheckedClient) -> str:
    return client.http.headers["Authorization"].split()[1]


def test_a_write_on_one_instance_is_read_on_the_other_at_once(fleetbox, store_url):
    a, b = fleetbox(store_url), fleetbox(store_url)
    sandbox = create(a)
    on_a = sandbox.trimble("direct")
    on_b = trimble_on(b, token_of(on_a))  # a token issued by one instance works on the other
    for n in range(12):
        writer, reader = (on_a, on_b) if n % 2 == 0 else (on_b, on_a)
        written = writer.post("/vehicles", json=[{"vehicleId": f"ryw-{n}", "Name": f"Read your writes {n}"}])
        assert written.status_code == 200 and written.json()["data"], written.text
        listed = reader.get("/vehicles", params={"limit": 1000}).json()["data"]
        assert f"ryw-{n}" in {v["vehicleId"] for v in listed}
    renamed = on_b.put("/vehicles", json=[{"vehicleId": "ryw-0", "Name": "renamed on b"}])
    assert renamed.status_code == 200
    assert {v["vehicleId"]: v["name"] for v in on_a.get("/vehicles", params={"limit": 1000}).json()["data"]}[
        "ryw-0"
    ] == "renamed on b"


def test_a_sandbox_created_deleted_or_reset_on_one_instance_is_so_on_the_other(fleetbox, store_url):
    a, b = fleetbox(store_url), fleetbox(store_url)
    sandbox = create(a)
    assert httpx.get(f"{b.url}/__sandbox/sandboxes/{sandbox.id}").json()["credentials"] == sandbox.data["credentials"]
    on_b = trimble_on(b, token_of(sandbox.trimble("direct")))
    on_b.post("/vehicles", json=[{"vehicleId": "gone-after-reset", "Name": "gone after reset"}])
    assert httpx.post(f"{a.url}/__sandbox/sandboxes/{sandbox.id}/reset", json={}).status_code == 200
    assert on_b.get("/vehicles").status_code == 401  # reset revokes tokens, on every instance
    fresh = trimble_on(b, token_of(SandboxHandle(b.url, sandbox.data).trimble("direct")))
    assert "gone-after-reset" not in {
        v["vehicleId"] for v in fresh.get("/vehicles", params={"limit": 1000}).json()["data"]
    }
    assert httpx.delete(f"{b.url}/__sandbox/sandboxes/{sandbox.id}").status_code == 204
    assert httpx.get(f"{a.url}/__sandbox/sandboxes/{sandbox.id}").status_code == 404
    assert fresh.get("/vehicles").status_code == 401
    again = create(b, seed=8, id=sandbox.id)  # the same id, a life of its own: A must not serve the old one
    assert httpx.get(f"{a.url}/__sandbox/sandboxes/{sandbox.id}").json()["credentials"] == again.data["credentials"]


def test_a_quota_is_counted_once_across_instances(fleetbox, store_url):
    a, b = fleetbox(store_url), fleetbox(store_url)
    sandbox = create(a)
    limits = httpx.put(
        f"{b.url}/__sandbox/sandboxes/{sandbox.id}/rate-limits", json={"trimble": {"limit": 6, "windowSeconds": 600}}
    )
    assert limits.status_code == 200, limits.text
    token = token_of(sandbox.trimble("direct"))
    clients = [trimble_on(a, token), trimble_on(b, token)]
    statuses = [clients[n % 2].get("/vehicles").status_code for n in range(12)]
    assert statuses == [200] * 6 + [429] * 6


def test_clock_moves_are_seen_everywhere(fleetbox, store_url):
    a, b = fleetbox(store_url), fleetbox(store_url)
    sandbox = create(a)
    token = token_of(sandbox.trimble("direct"))
    moved = httpx.post(f"{a.url}/__sandbox/sandboxes/{sandbox.id}/clock/advance", json={"seconds": 7200})
    assert moved.status_code == 200
    seen = httpx.get(f"{b.url}/__sandbox/sandboxes/{sandbox.id}/clock").json()
    assert abs(seen["offsetSeconds"] - 7200) < 5
    assert trimble_on(b, token).get("/vehicles").status_code == 401  # the 60-minute token expired there too


def test_a_webhook_event_is_delivered_once_whichever_instance_raised_it(fleetbox, store_url, receiver):
    a, b = fleetbox(store_url), fleetbox(store_url)
    sandbox = create(a)
    target = receiver()
    fleet = sandbox.invers_client(0)["fleet_id"]
    hook = httpx.post(
        f"{a.url}/__sandbox/sandboxes/{sandbox.id}/webhooks",
        json={"audience": fleet, "url": target.url, "events": ["VehicleCommandExecuted"]},
    )
    assert hook.status_code == 201
    owner_on_b = CheckedClient(
        b.url + INVERS_BASE,
        "invers.yaml",
        {"Authorization": f"Bearer {SandboxHandle(a.url, sandbox.data).invers_token(0)}"},
    )
    vehicle = owner_on_b.get("/vehicles").json()["items"][0]["id"]
    for _ in range(3):
        assert owner_on_b.post(f"/vehicles/{vehicle}/commands/request-vehicle-state").status_code in (200, 202)
    wait_for(lambda: len(target.received) >= 3)
    # Both instances have looked at the sandbox since (each replayed the other's operations); give a
    # duplicate every chance to arrive before counting.
    httpx.get(f"{a.url}/__sandbox/sandboxes/{sandbox.id}/events")
    wait_for(
        lambda: [
            d
            for d in httpx.get(f"{a.url}/__sandbox/sandboxes/{sandbox.id}/deliveries").json()["deliveries"]
            if d["state"] == "delivered"
        ]
    )
    import time

    time.sleep(0.5)
    assert len(target.received) == 3
    events = httpx.get(f"{a.url}/__sandbox/sandboxes/{sandbox.id}/events", params={"audience": fleet}).json()["events"]
    assert [e["type"] for e in events].count("VehicleCommandExecuted") == 3
    deliveries = httpx.get(f"{b.url}/__sandbox/sandboxes/{sandbox.id}/deliveries").json()["deliveries"]
    assert len(deliveries) == 3 and {d["state"] for d in deliveries} == {"delivered"}


def test_sandboxes_stay_isolated_whichever_instance_serves_them(fleetbox, store_url):
    a, b = fleetbox(store_url), fleetbox(store_url)
    first, second = create(a, seed=7), create(b, seed=7)
    on_first = trimble_on(b, token_of(first.trimble("direct")))
    on_first.post("/vehicles", json=[{"vehicleId": "only-in-first", "Name": "only in the first sandbox"}])
    on_second = trimble_on(a, token_of(second.trimble("direct")))
    listed = {v["vehicleId"] for v in on_second.get("/vehicles", params={"limit": 1000}).json()["data"]}
    assert "only-in-first" not in listed
    journal = httpx.get(f"{a.url}/__sandbox/sandboxes/{second.id}/journal").json()["entries"]
    assert all("only-in-first" not in entry["requestBody"] for entry in journal)


def test_sixty_four_writers_over_two_instances_lose_nothing_and_tear_nothing(fleetbox, store_url):
    a, b = fleetbox(store_url), fleetbox(store_url)
    sandbox = create(a)
    client = sandbox.trimble("direct")
    token = token_of(client)
    before = client.get("/vehicles").json()["size"]
    results = race([a.url + TRIMBLE_BASE, b.url + TRIMBLE_BASE], token)

    def journal() -> list[dict]:
        return httpx.get(f"{b.url}/__sandbox/sandboxes/{sandbox.id}/journal").json()["entries"]

    # A's entries reach the store within its writer's interval (20 ms), not with each answer.
    wait_for(lambda: len([e for e in journal() if e["method"] != "GET"]) >= CLIENTS * (BATCHES + 3))
    assert_nothing_lost(client, before, results, journal())
    assert_nothing_lost(trimble_on(b, token), before, results, journal())
