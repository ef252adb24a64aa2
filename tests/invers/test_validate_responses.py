"""`fleetbox serve --validate-responses`: the server checks its own invers answers, headers included."""

from __future__ import annotations

import httpx
import pytest

from mockserver.settings import Settings

from ..support import INVERS_BASE, LiveServer, SandboxHandle, free_port


@pytest.fixture(scope="module")
def strict_server():
    live = LiveServer(Settings(port=free_port(), validate_responses=True)).start()
    yield live
    live.stop()


def test_a_self_validating_server_answers_every_kind_of_invers_request(strict_server):
    handle = SandboxHandle(strict_server.url, httpx.get(f"{strict_server.url}/__sandbox/sandboxes/default").json())
    owner, partner = handle.invers(0), handle.invers(1)
    vehicle = owner.get("/vehicles", params={"limit": 1}).json()["items"][0]["id"]
    path = f"/vehicles/{vehicle}"
    partner_id = handle.invers_client(1)["fleet_id"]
    statuses = [
        owner.get(path).status_code,
        owner.patch(path, json={"master_data": {"custom_name": "checked"}}).status_code,
        owner.post(f"{path}/commands/request-vehicle-state").status_code,
        owner.get("/sharing-partners").status_code,
        owner.post(f"{path}/sharing", json={"fleet_id": partner_id}).status_code,
        owner.patch(f"{path}/sharing", json={"ends_at": None}).status_code,
        partner.delete(f"{path}/sharing/partner").status_code,
        owner.get("/vehicles/NO-SUCH-VEHICLE").status_code,
    ]
    assert statuses == [200, 200, 200, 200, 200, 200, 204, 404]
    assert httpx.get(f"{strict_server.url}{INVERS_BASE}/vehicles").headers["x-invers-flow-id"]
