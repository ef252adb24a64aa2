"""Fault injection: error statuses in the vendor's format, latency, dropped connections; by rule or header."""

from __future__ import annotations

import time

import httpx
import pytest


def add_fault(sandbox, **rule) -> dict:
    response = sandbox.control.post(f"/sandboxes/{sandbox.id}/faults", json=rule)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_counted_status_fault_answers_in_the_vendors_format_then_stops(sandbox, trimble):
    fault = add_fault(sandbox, profile="trimble", method="GET", path="/vehicles", status=503, times=2)
    assert fault["remaining"] == 2
    first, second, third = (trimble.http.get("/vehicles") for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert set(first.json()) == {"message"}
    listed = sandbox.control.get(f"/sandboxes/{sandbox.id}/faults").json()["faults"]
    assert listed[0]["remaining"] == 0


def test_a_fault_matches_only_its_method_and_path_pattern(sandbox, trimble):
    add_fault(sandbox, method="POST", path="/vehicle*", status=500)
    assert trimble.get("/vehicles").status_code == 200
    assert trimble.get("/drivers").status_code == 200
    assert trimble.http.post("/vehicles", json=[{"vehicleId": "f1", "Name": "f one"}]).status_code == 500


def test_latency_delays_the_normal_answer(sandbox, trimble):
    add_fault(sandbox, path="/drivers", latencyMs=300)
    began = time.monotonic()
    response = trimble.get("/drivers")
    assert response.status_code == 200
    assert time.monotonic() - began >= 0.3  # a lower bound only: the fault's promise


def test_a_dropped_connection_fails_mid_response(sandbox, trimble):
    add_fault(sandbox, path="/vehicles", drop=True, times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        trimble.http.get("/vehicles")
    assert trimble.get("/vehicles").status_code == 200


def test_a_request_can_ask_for_its_own_fault(sandbox, trimble):
    assert trimble.http.get("/vehicles", headers={"X-Fleetbox-Fault": "status=429"}).status_code == 429
    refused = trimble.http.get("/vehicles", headers={"X-Fleetbox-Fault": "status=200"})
    assert refused.status_code == 400 and "X-Fleetbox-Fault" in refused.json()["message"]


def test_faulted_requests_are_journaled_with_their_fault(sandbox, trimble):
    add_fault(sandbox, path="/vehicles", status=502, times=1)
    trimble.http.get("/vehicles")
    entry = sandbox.control.get(f"/sandboxes/{sandbox.id}/journal").json()["entries"][-1]
    assert (entry["status"], entry["fault"]) == (502, "status 502")


def test_faults_are_listed_removed_and_travel_with_the_state(sandbox):
    fault = add_fault(sandbox, status=500, probability=0.5)
    saved = sandbox.control.get(f"/sandboxes/{sandbox.id}/state").json()
    assert saved["faults"][0]["id"] == fault["id"]
    assert sandbox.control.delete(f"/sandboxes/{sandbox.id}/faults/{fault['id']}").status_code == 204
    assert sandbox.control.delete(f"/sandboxes/{sandbox.id}/faults/{fault['id']}").status_code == 404
    assert sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=saved).status_code == 200
    assert [f["id"] for f in sandbox.control.get(f"/sandboxes/{sandbox.id}/faults").json()["faults"]] == [fault["id"]]
    assert sandbox.control.delete(f"/sandboxes/{sandbox.id}/faults").status_code == 204
    assert sandbox.control.get(f"/sandboxes/{sandbox.id}/faults").json() == {"faults": []}


def test_a_rule_needs_an_effect(sandbox):
    assert sandbox.control.post(f"/sandboxes/{sandbox.id}/faults", json={"path": "/vehicles"}).status_code == 400
    assert (
        sandbox.control.post(f"/sandboxes/{sandbox.id}/faults", json={"profile": "nope", "status": 500}).status_code
        == 400
    )


@pytest.mark.parametrize("status,problem", [(503, "/problems/http-503"), (429, "/problems/too-many-requests")])
def test_an_injected_status_is_an_invers_problem_with_its_flow_id(sandbox, status, problem):
    add_fault(sandbox, profile="invers", path="/vehicles", status=status, times=1)
    response = sandbox.invers(0).http.get("/vehicles")
    body = response.json()
    assert (response.status_code, body["status"], body["type"]) == (status, status, problem)
    assert response.headers["content-type"] == "application/problem+json"
    assert body["flow_id"] == response.headers["x-invers-flow-id"]


def test_an_injected_status_is_a_hourfleet_response_status(sandbox):
    add_fault(sandbox, profile="hourfleet", path="/cars", status=503, times=1)
    response = sandbox.hourfleet("user").http.get("/cars")
    assert response.status_code == 503
    assert response.json()["ResponseStatus"]["ErrorCode"] == "InjectedFault"
