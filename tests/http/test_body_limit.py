"""Request bodies on their way in: each vendor API refuses one over the server's limit with its own 413,
declared or chunked, before reading it whole; bodies within the limit, operations without a body and
the control plane's state import are not limited; chunked bodies are read like declared ones."""

from __future__ import annotations

import json

import httpx
import pytest

from mockserver.settings import Settings

from ..support import LiveServer, free_port

LIMIT = 4096
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def server():
    """Overrides the session's server (and so the `sandbox` fixture's) with one reading 4 KiB bodies."""
    live = LiveServer(Settings(port=free_port(), max_body_bytes=LIMIT)).start()
    yield live
    live.stop()


def vehicles_of(total_bytes: int, vehicle_id: str = "big-1") -> bytes:
    """A trimble batch POST body of exactly `total_bytes` bytes."""
    frame = len(json.dumps([{"vehicleId": vehicle_id, "Name": ""}]))
    return json.dumps([{"vehicleId": vehicle_id, "Name": "n" * (total_bytes - frame)}]).encode()


def in_chunks(body: bytes, size: int = 1000):
    for start in range(0, len(body), size):
        yield body[start : start + size]


def vehicle_ids(client) -> list[str]:
    return [v["vehicleId"] for v in client.get("/vehicles", params={"limit": 1000}).json()["data"]]


def test_trimble_refuses_a_declared_body_over_the_limit_with_its_413(sandbox):
    client = sandbox.trimble("direct")
    response = client.post("/vehicles", content=vehicles_of(LIMIT + 1), headers=JSON)
    assert response.status_code == 413
    assert response.json() == {"message": f"The request body is larger than the {LIMIT} bytes this API accepts."}
    assert "big-1" not in vehicle_ids(client)


def test_a_chunked_body_over_the_limit_is_refused_too(sandbox):
    client = sandbox.trimble("direct")
    # Unchecked client: Schemathesis cannot show a streamed request; the declared case checks the shape.
    response = client.http.post("/vehicles", content=in_chunks(vehicles_of(3 * LIMIT)), headers=JSON)
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json() == {"message": f"The request body is larger than the {LIMIT} bytes this API accepts."}
    assert "big-1" not in vehicle_ids(client)


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_of_exactly_the_limit_is_read(sandbox, chunked):
    client = sandbox.trimble("direct")
    body = vehicles_of(LIMIT, vehicle_id=f"edge-{chunked}")
    assert len(body) == LIMIT
    send = client.http.post if chunked else client.post  # see the chunked test above
    response = send("/vehicles", content=in_chunks(body) if chunked else body, headers=JSON)
    assert response.status_code == 200, response.text
    assert f"edge-{chunked}" in vehicle_ids(client)


def test_an_operation_without_a_body_is_not_limited(sandbox):
    response = sandbox.trimble("direct").request("GET", "/vehicles", content=b"x" * (LIMIT + 1))
    assert response.status_code == 200


def test_invers_answers_a_problem_with_the_flow_id(sandbox):
    owner = sandbox.invers(0)
    vehicle = next(v for v in owner.get("/vehicles").json()["items"] if v["sharing"] is None)
    body = json.dumps({"master_data": {"custom_name": "x" * LIMIT}}).encode()
    response = owner.patch(f"/vehicles/{vehicle['id']}", content=body, headers=JSON)
    assert response.status_code == 413
    problem = response.json()
    assert (problem["type"], problem["status"]) == ("/problems/payload-too-large", 413)
    assert problem["flow_id"] == response.headers["x-invers-flow-id"]


def test_hourfleet_answers_a_response_status(sandbox):
    owner = sandbox.hourfleet("user")
    response = owner.post("/cars", data={"Make": "x" * LIMIT, "Model": "Yaris", "Year": "2021"})
    assert response.status_code == 413
    assert response.json()["ResponseStatus"]["ErrorCode"] == "RequestEntityTooLarge"


def test_the_control_plane_imports_a_state_larger_than_the_limit(sandbox):
    path = f"/sandboxes/{sandbox.id}/state"
    state = sandbox.control.get(path).json()
    assert len(json.dumps(state)) > LIMIT
    assert sandbox.control.put(path, json=state).status_code == 200
    assert sandbox.control.get(path).json() == state


def test_chunked_bodies_are_read_everywhere(sandbox, server):
    form = in_chunks(b"Make=Kia&Model=Niro&Year=2022&LicensePlate=CHUNK-1&PricePerHour=9.5", size=7)
    created = sandbox.hourfleet("user").http.post(
        "/cars", content=form, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert created.status_code == 201, created.text
    assert created.json()["Car"]["LicensePlate"] == "CHUNK-1"
    body = in_chunks(json.dumps({"id": "chunked-sandbox", "seed": 3, "size": 2}).encode(), size=5)
    made = sandbox.control.http.post(f"{server.url}/__sandbox/sandboxes", content=body, headers=JSON)
    assert made.status_code == 201, made.text
    assert made.json()["seed"] == 3
    assert sandbox.control.http.delete(f"{server.url}/__sandbox/sandboxes/chunked-sandbox").status_code == 204


@pytest.mark.parametrize(
    ("path", "body", "error_of"),
    [
        ("/trimble/api/assets/v1/accounts/authenticate", b'{"apiKey": "x"}', lambda b: b["message"]),
        ("/invers/auth/oauth/token?grant_type=client_credentials", b"scope=x", lambda b: b["detail"]),
        ("/hourfleet/api/oauth/token", b"grant_type=client_credentials", lambda b: b["ResponseStatus"]["Message"]),
        ("/__sandbox/sandboxes", b'{"seed": 1}', lambda b: b["detail"]),
    ],
)
@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_without_a_content_type_gets_a_415_not_a_500(server, path, body, error_of, chunked):
    # httpx sends no Content-Type for raw content; Connexion validated such a body as JSON and then
    # handed the handler bytes.
    content = in_chunks(body) if chunked else body
    response = httpx.post(server.url + path, content=content)
    assert response.status_code == 415, response.text
    assert "none" in error_of(response.json()) or "Content-Type" in error_of(response.json())
