"""The control plane's door: open without a control token, as always; with one, the token opens every
call and a sandbox's access key opens that sandbox alone. Against a live server; every answer is checked
against sandbox.yaml (refusals included)."""

from __future__ import annotations

import httpx
import pytest

from mockserver.settings import Settings

from ..support import TRIMBLE_BASE, CheckedClient, LiveServer

TOKEN = "team-control-token"

# Every operation on one sandbox, in an order that leaves it standing until `delete`.
SANDBOX_CALLS = [
    ("GET", "", None),
    ("POST", "/reset", {}),
    ("GET", "/clock", None),
    ("PUT", "/clock", {"now": "2030-01-01T00:00:00Z", "frozen": True}),
    ("POST", "/clock/advance", {"seconds": 60}),
    ("GET", "/journal", None),
    ("DELETE", "/journal", None),
    ("GET", "/rate-limits", None),
    ("PUT", "/rate-limits", {"trimble": None}),
    ("GET", "/events", None),
    ("GET", "/webhooks", None),
    ("GET", "/deliveries", None),
    ("GET", "/faults", None),
    ("DELETE", "/faults", None),
    ("GET", "/state", None),
]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def protected():
    server = LiveServer(Settings(control_token=TOKEN, size=5)).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def control(protected):
    client = CheckedClient(f"{protected.url}/__sandbox", "sandbox.yaml")
    yield client
    client.close()


def create(control: CheckedClient, sandbox_id: str) -> dict:
    response = control.post("/sandboxes", json={"id": sandbox_id, "size": 3}, headers=bearer(TOKEN))
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def pair(control):
    """Two sandboxes, A and B, deleted afterwards (with the control token)."""
    a, b = create(control, "door-a"), create(control, "door-b")
    yield a, b
    for sandbox in (a, b):
        control.http.delete(f"/sandboxes/{sandbox['id']}", headers=bearer(TOKEN))


def assert_refused(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == status
    assert response.headers["www-authenticate"].startswith("Bearer ")


# --- without a control token: as it always was ---------------------------------------------------


def test_without_a_control_token_every_call_works_without_a_header(server):
    control = CheckedClient(f"{server.url}/__sandbox", "sandbox.yaml")
    created = control.post("/sandboxes", json={"id": "open-door", "size": 3})
    assert created.status_code == 201
    key = created.json()["accessKey"]
    try:
        assert control.get("/sandboxes").status_code == 200
        # No header is read: a stranger's bearer, or the key of another sandbox, changes nothing.
        assert control.get("/sandboxes/open-door/clock", headers=bearer("nonsense")).status_code == 200
        assert control.get("/sandboxes/default", headers=bearer(key)).status_code == 200
        for method, suffix, body in SANDBOX_CALLS:
            response = control.request(method, f"/sandboxes/open-door{suffix}", json=body)
            assert response.status_code in (200, 204), (method, suffix, response.text)
        assert control.delete("/sandboxes/open-door").status_code == 204
    finally:
        control.http.delete("/sandboxes/open-door")
        control.close()


def test_without_a_control_token_the_served_spec_asks_for_no_bearer(server):
    spec = httpx.get(f"{server.url}/__sandbox/openapi.json").json()
    assert spec["security"] == []
    assert not any("security" in op for item in spec["paths"].values() for op in item.values() if isinstance(op, dict))


def test_every_sandbox_has_its_own_access_key_shown_with_it_but_not_in_the_list(server):
    control = CheckedClient(f"{server.url}/__sandbox", "sandbox.yaml")
    try:
        default = control.get("/sandboxes/default").json()
        created = control.post("/sandboxes", json={"id": "keyed", "size": 3}).json()
        assert default["accessKey"] and created["accessKey"] and default["accessKey"] != created["accessKey"]
        assert control.get("/sandboxes/keyed").json()["accessKey"] == created["accessKey"]
        # Reset and import keep the sandbox, and so its key.
        assert control.post("/sandboxes/keyed/reset", json={}).json()["accessKey"] == created["accessKey"]
        state = control.get("/sandboxes/keyed/state").json()
        assert control.put("/sandboxes/keyed/state", json=state).json()["accessKey"] == created["accessKey"]
        listed = control.get("/sandboxes").json()["sandboxes"]
        assert all("accessKey" not in summary for summary in listed)
    finally:
        control.http.delete("/sandboxes/keyed")
        control.close()


# --- with a control token -----------------------------------------------------------------------


def test_the_health_check_the_spec_and_swagger_ui_stay_public(protected, control):
    assert control.get("/health").status_code == 200
    spec = httpx.get(f"{protected.url}/__sandbox/openapi.json")
    assert spec.status_code == 200 and spec.json()["security"] == [{"controlToken": []}]
    assert httpx.get(f"{protected.url}/__sandbox/ui/").status_code == 200


@pytest.mark.parametrize(
    "headers, challenge",
    [
        ({}, 'Bearer realm="fleetbox control plane"'),
        (bearer("not-the-token"), 'Bearer realm="fleetbox control plane", error="invalid_token"'),
        ({"Authorization": f"Basic {TOKEN}"}, 'Bearer realm="fleetbox control plane", error="invalid_token"'),
        ({"Authorization": "Bearer"}, 'Bearer realm="fleetbox control plane", error="invalid_token"'),
    ],
    ids=["missing", "unknown", "not-bearer", "empty"],
)
def test_a_missing_or_unknown_bearer_is_refused_with_401_everywhere(control, pair, headers, challenge):
    a, _ = pair
    assert_refused(control.get("/sandboxes", headers=headers), 401)
    assert_refused(control.post("/sandboxes", json={"id": "intruder"}, headers=headers), 401)
    for method, suffix, body in [*SANDBOX_CALLS, ("DELETE", "", None)]:
        response = control.request(method, f"/sandboxes/{a['id']}{suffix}", json=body, headers=headers)
        assert_refused(response, 401)
        assert response.headers["www-authenticate"] == challenge
    assert control.get(f"/sandboxes/{a['id']}", headers=bearer(TOKEN)).status_code == 200
    assert control.get("/sandboxes/intruder", headers=bearer(TOKEN)).status_code == 404


def test_the_control_token_opens_every_call(control):
    assert [s["id"] for s in control.get("/sandboxes", headers=bearer(TOKEN)).json()["sandboxes"]] == ["default"]
    create(control, "by-token")
    for method, suffix, body in SANDBOX_CALLS:
        response = control.request(method, f"/sandboxes/by-token{suffix}", json=body, headers=bearer(TOKEN))
        assert response.status_code in (200, 204), (method, suffix, response.text)
    assert control.get("/sandboxes/default", headers=bearer(TOKEN)).json()["accessKey"]
    assert control.delete("/sandboxes/by-token", headers=bearer(TOKEN)).status_code == 204


def test_an_access_key_opens_its_own_sandbox_and_nothing_else(control, pair):
    a, b = pair
    key = bearer(a["accessKey"])
    for method, suffix, body in SANDBOX_CALLS:
        mine = control.request(method, f"/sandboxes/{a['id']}{suffix}", json=body, headers=key)
        assert mine.status_code in (200, 204), (method, suffix, mine.text)
        theirs = control.request(method, f"/sandboxes/{b['id']}{suffix}", json=body, headers=key)
        assert_refused(theirs, 403)
        assert theirs.headers["www-authenticate"].endswith('error="insufficient_scope"')
    # The holder of the key sees it again with its sandbox; listing and creating need the control token.
    assert control.get(f"/sandboxes/{a['id']}", headers=key).json()["accessKey"] == a["accessKey"]
    assert_refused(control.get("/sandboxes", headers=key), 403)
    assert_refused(control.post("/sandboxes", json={"id": "by-key"}, headers=key), 403)
    assert_refused(control.get("/sandboxes/default", headers=key), 403)
    # A sandbox that does not exist is refused too, so a key cannot probe which ids exist.
    assert_refused(control.get("/sandboxes/no-such-sandbox", headers=key), 403)
    assert control.get("/sandboxes/by-key", headers=bearer(TOKEN)).status_code == 404
    # B is untouched by A's key: its clock was never set, its faults never cleared.
    assert control.get(f"/sandboxes/{b['id']}/clock", headers=bearer(b["accessKey"])).json()["frozen"] is False


def test_an_access_key_manages_faults_webhooks_and_state_of_its_sandbox(control, pair):
    a, b = pair
    key, url = bearer(a["accessKey"]), f"/sandboxes/{a['id']}"
    fault = control.post(f"{url}/faults", json={"profile": "trimble", "status": 503}, headers=key)
    assert fault.status_code == 201
    assert_refused(control.delete(f"/sandboxes/{b['id']}/faults/{fault.json()['id']}", headers=key), 403)
    assert control.delete(f"{url}/faults/{fault.json()['id']}", headers=key).status_code == 204
    hook = control.post(f"{url}/webhooks", json={"audience": "x", "url": "http://127.0.0.1:9/hooks"}, headers=key)
    assert hook.status_code == 201
    assert control.delete(f"{url}/webhooks/{hook.json()['id']}", headers=key).status_code == 204
    state = control.get(f"{url}/state", headers=key).json()
    assert_refused(control.put(f"/sandboxes/{b['id']}/state", json=state, headers=key), 403)
    assert control.put(f"{url}/state", json=state, headers=key).status_code == 200


def test_an_access_key_deletes_its_sandbox_and_then_opens_nothing(control):
    sandbox = create(control, "short-lived")
    key = bearer(sandbox["accessKey"])
    assert control.delete("/sandboxes/short-lived", headers=key).status_code == 204
    assert_refused(control.get("/sandboxes/short-lived", headers=key), 401)
    # A new sandbox of the same id has a new key; the old one stays unknown.
    again = create(control, "short-lived")
    try:
        assert again["accessKey"] != sandbox["accessKey"]
        assert_refused(control.get("/sandboxes/short-lived", headers=key), 401)
    finally:
        control.http.delete("/sandboxes/short-lived", headers=bearer(TOKEN))


def test_refused_calls_are_journaled_nowhere(protected, control, pair):
    a, b = pair
    # One vendor request, so A's journal is known to work and holds exactly one entry.
    trimble = httpx.post(
        f"{protected.url}{TRIMBLE_BASE}/accounts/authenticate",
        json={"apiKey": a["credentials"]["trimble"][0]["apiKey"]},
    )
    assert trimble.status_code == 200
    refused = [
        control.get(f"/sandboxes/{a['id']}/journal"),
        control.delete(f"/sandboxes/{a['id']}/journal", headers=bearer("guess")),
        control.post(f"/sandboxes/{a['id']}/reset", json={}, headers=bearer(b["accessKey"])),
        control.get(f"/sandboxes/{b['id']}/state", headers=bearer(a["accessKey"])),
        control.get("/sandboxes", headers=bearer(a["accessKey"])),
    ]
    assert [r.status_code for r in refused] == [401, 401, 403, 403, 403]
    for sandbox_id in (a["id"], b["id"], "default"):
        entries = control.get(f"/sandboxes/{sandbox_id}/journal", headers=bearer(TOKEN)).json()["entries"]
        assert not any(entry["path"].startswith("/__sandbox") for entry in entries), entries
        assert len(entries) == (1 if sandbox_id == a["id"] else 0), entries
