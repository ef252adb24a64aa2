"""Steps the invers tests share: problem documents, reading whole lists, finding vehicles of a kind, sharing,
moving the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# The fleets' FleetShare roles in every generated world (see conftest.py).
OWNER, PARTNER, OTHER_PARTNER, LONER = 0, 1, 2, 3


PROBLEM_KEYS = {"type", "type_documentation", "title", "status", "detail", "flow_id"}


def assert_problem(response, status: int, type_: str) -> dict:
    """A problem document of `status` and `type_`, repeating the response's flow id."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert PROBLEM_KEYS <= set(problem)
    assert (problem["type"], problem["status"]) == (type_, status)
    assert problem["type_documentation"] == "https://developers.invers.com" + type_
    assert problem["flow_id"] == response.headers["x-invers-flow-id"]
    return problem


def all_vehicles(client, **params) -> list[dict]:
    """Every vehicle of a list, following `next_page_token`."""
    items, token = [], None
    for _ in range(1000):
        response = client.get("/vehicles", params={**params, **({"page_token": token} if token else {})})
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        token = body.get("next_page_token")
        if not token:
            return items
    raise AssertionError("the list never ended")


def own_vehicle(
    client, fleet_id: str, *, command: str | None = None, in_use: bool | None = None, lacking: str | None = None
) -> dict:
    """An unshared vehicle of `fleet_id` with (or lacking) a command capability, in use or idle."""
    for vehicle in all_vehicles(client):
        if vehicle["fleet_id"] != fleet_id or vehicle["sharing"] is not None:
            continue
        commands = vehicle["capabilities"]["commands"]
        ignition_on = vehicle["state"].get("ignition", {}).get("value") == "ON"
        if (
            (command is None or command in commands)
            and (lacking is None or lacking not in commands)
            and (in_use is None or in_use == ignition_on)
        ):
            return vehicle
    raise AssertionError(
        f"fleet {fleet_id} has no such vehicle (command={command}, in_use={in_use}, lacking={lacking})"
    )


def idle_car(client, fleet_id: str) -> dict:
    """An unshared car of the fleet that may be locked now."""
    return own_vehicle(client, fleet_id, command="LOCK_CENTRAL_LOCK", in_use=False)


def share(owner, vehicle_id: str, partner_fleet_id: str, **body):
    response = owner.post(f"/vehicles/{vehicle_id}/sharing", json={"fleet_id": partner_fleet_id, **body})
    assert response.status_code == 200, response.text
    return response.json()


def sandbox_now(sandbox) -> datetime:
    return datetime.fromisoformat(
        sandbox.control.get(f"/sandboxes/{sandbox.id}/clock").json()["now"].replace("Z", "+00:00")
    )


def in_future(sandbox, seconds: float) -> str:
    """An RFC 3339 timestamp `seconds` after the sandbox's now."""
    return (sandbox_now(sandbox) + timedelta(seconds=seconds)).astimezone(UTC).isoformat().replace("+00:00", "Z")


def advance(sandbox, seconds: float) -> None:
    response = sandbox.control.post(f"/sandboxes/{sandbox.id}/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.text


def events(sandbox, fleet_id: str, type_: str | None = None) -> list[dict]:
    params = {"audience": fleet_id} | ({"type": type_} if type_ else {})
    return sandbox.control.get(f"/sandboxes/{sandbox.id}/events", params=params).json()["events"]
