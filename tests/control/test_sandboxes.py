"""The /__sandbox control plane: sandboxes' lifecycle, and their isolation from each other."""

from __future__ import annotations

import dataclasses
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from mockserver.http.context import REGISTRY_KEY
from tests.support import CheckedClient, LiveServer


def control(server) -> CheckedClient:
    return CheckedClient(f"{server.url}/__sandbox", "sandbox.yaml")


def test_health_names_the_served_profiles(server):
    body = control(server).get("/health").json()
    assert body["status"] == "ok"
    assert {"name": "trimble", "basePath": "/trimble/api/assets/v1"} in body["profiles"]


def test_the_default_sandbox_exists_with_a_partner_and_its_customers(server):
    sandbox = control(server).get("/sandboxes/default").json()
    accounts = sandbox["credentials"]["trimble"]
    assert {a["type"] for a in accounts} == {"direct", "partner"}
    partner = next(a for a in accounts if a["type"] == "partner")
    assert len(partner["customerAccounts"]) >= 1
    assert all(len(a["apiKey"]) == 32 for a in accounts)


def test_create_get_list_and_delete(server):
    client = control(server)
    created = client.post("/sandboxes", json={"seed": 3, "size": 4})
    assert created.status_code == 201
    sandbox = created.json()
    assert created.headers["location"] == f"/__sandbox/sandboxes/{sandbox['id']}"
    assert (sandbox["seed"], sandbox["size"]) == (3, 4)
    assert client.get(f"/sandboxes/{sandbox['id']}").json()["credentials"] == sandbox["credentials"]
    assert sandbox["id"] in [s["id"] for s in client.get("/sandboxes").json()["sandboxes"]]
    assert client.delete(f"/sandboxes/{sandbox['id']}").status_code == 204
    assert client.get(f"/sandboxes/{sandbox['id']}").status_code == 404
    assert client.delete(f"/sandboxes/{sandbox['id']}").status_code == 404


def test_a_body_is_optional_and_ids_are_unique(server):
    client = control(server)
    anonymous = client.post("/sandboxes")
    assert anonymous.status_code == 201
    named = f"ci-{uuid.uuid4().hex[:8]}"
    assert client.post("/sandboxes", json={"id": named}).status_code == 201
    clash = client.post("/sandboxes", json={"id": named})
    assert clash.status_code == 409
    assert clash.headers["content-type"] == "application/problem+json"
    assert clash.json()["title"] == "Conflict"
    for sandbox_id in (anonymous.json()["id"], named):
        client.delete(f"/sandboxes/{sandbox_id}")


def test_the_default_sandbox_cannot_be_deleted(server):
    assert control(server).delete("/sandboxes/default").status_code == 409


def test_bad_requests_are_problems(server):
    client = control(server)
    for body in ({"size": 0}, {"seed": -1}, {"id": "Upper_Case"}, {"colour": "red"}):
        response = client.post("/sandboxes", json=body)
        assert response.status_code == 400, body
        assert response.json()["status"] == 400
    assert client.get("/sandboxes/NOT_AN_ID").status_code == 400


def test_the_same_seed_gives_the_same_world_and_other_credentials(server, sandbox):
    client = control(server)
    twin = client.post("/sandboxes", json={"seed": 7, "size": 12}).json()
    try:
        mine = sandbox.control.get(f"/sandboxes/{sandbox.id}/state").json()
        theirs = client.get(f"/sandboxes/{twin['id']}/state").json()
        assert mine["profiles"] == theirs["profiles"]
        keys = {a["apiKey"] for a in sandbox.data["credentials"]["trimble"]}
        assert keys.isdisjoint(a["apiKey"] for a in twin["credentials"]["trimble"])
    finally:
        client.delete(f"/sandboxes/{twin['id']}")


def test_two_sandboxes_never_see_each_others_data(server, sandbox):
    twin = control(server).post("/sandboxes", json={"seed": 7, "size": 12}).json()
    try:
        from tests.support import SandboxHandle

        other = SandboxHandle(server.url, twin).trimble("direct")
        mine = sandbox.trimble("direct")
        mine.post("/vehicles", json=[{"vehicleId": "only-here", "Name": "only here"}])
        assert mine.get("/vehicles").json()["size"] == 13
        assert other.get("/vehicles").json()["size"] == 12
        # Same account ids in both worlds, yet each token reaches its own sandbox only.
        assert other.post("/vehicles", json=[{"vehicleId": "only-here", "Name": "only here"}]).json()["data"]
    finally:
        control(server).delete(f"/sandboxes/{twin['id']}")


def test_reset_rebuilds_the_world_and_revokes_tokens(sandbox):
    client = sandbox.trimble("direct")
    client.post("/vehicles", json=[{"vehicleId": "temp", "Name": "temp"}])
    reset = sandbox.control.post(f"/sandboxes/{sandbox.id}/reset")
    assert reset.status_code == 200
    assert reset.json()["credentials"] == sandbox.data["credentials"]
    assert client.get("/vehicles").status_code == 401
    assert sandbox.trimble("direct").get("/vehicles").json()["size"] == 12


def test_reset_can_change_seed_and_size(sandbox, server):
    from tests.support import SandboxHandle

    body = sandbox.control.post(f"/sandboxes/{sandbox.id}/reset", json={"seed": 9, "size": 3}).json()
    assert (body["seed"], body["size"]) == (9, 3)
    # Another seed means other accounts, so the answer carries the new credentials.
    assert body["credentials"] != sandbox.data["credentials"]
    assert SandboxHandle(server.url, body).trimble("direct").get("/vehicles").json()["size"] == 3


def test_a_path_segment_holding_a_newline_matches_no_route(server):
    # Found by Schemathesis: Flask's router matched what Connexion's did not, and answered 500.
    response = control(server).get("/sandboxes/%0Aab/clock")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_a_world_bigger_than_the_servers_max_size_is_refused(server):
    """Building a world blocks the server while it runs; one of 100,000 takes minutes."""
    client = control(server)
    refused = client.post("/sandboxes", json={"size": 2001})
    assert refused.status_code == 400 and "--max-size" in refused.json()["detail"], refused.text
    created = client.post("/sandboxes", json={"size": 30})
    assert created.status_code == 201
    reset = client.post(f"/sandboxes/{created.json()['id']}/reset", json={"size": 5000})
    assert reset.status_code == 400
    client.delete(f"/sandboxes/{created.json()['id']}")


def test_the_server_answers_others_while_it_builds_a_world():
    """Building a world takes seconds at the biggest sizes; it runs off the event loop, so the server goes on
    answering meanwhile (a shared sandbox service would otherwise stall every CI job at once). Here the build
    waits until the server has answered another request: served on the loop, it would never finish."""
    answered = threading.Event()
    live = LiveServer().start()
    try:
        registry = live.app.app.extensions[REGISTRY_KEY]
        factory = registry._factories["trimble"]

        def generate(seed: int, size: int) -> dict:
            assert answered.wait(timeout=30), "nothing else was answered while the world was being built"
            return factory.generate(seed, size)

        def build(seed: int, size: int, sandbox):
            assert answered.wait(timeout=30), "nothing else was answered while the world was being built"
            return factory.build(seed, size, sandbox)

        # Worlds are built straight from the generator (`build`) where a profile can, else through `generate`.
        registry._factories["trimble"] = dataclasses.replace(
            factory, generate=generate, build=build if factory.build else None
        )
        client = control(live)
        with ThreadPoolExecutor(1) as pool:
            creating = pool.submit(client.post, "/sandboxes", json={"seed": 5, "size": 3})
            assert client.get("/health", timeout=10).status_code == 200
            answered.set()
            assert creating.result(timeout=60).status_code == 201
    finally:
        answered.set()
        live.stop()
