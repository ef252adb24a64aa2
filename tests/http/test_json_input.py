"""Hostile JSON bodies: too deep, lone surrogates, infinite numbers. Each vendor refuses them with its
own 400; none reaches a step that could run out of stack or choke on invalid text."""

from __future__ import annotations

import pytest

from mockserver.http import json_input

JSON = {"Content-Type": "application/json"}


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_documents_up_to_the_depth_limit_are_read():
    assert json_input.loads(nested(json_input.MAX_DEPTH)) is not None
    with pytest.raises(json_input.TooDeep):
        json_input.loads(nested(json_input.MAX_DEPTH + 1))


def test_brackets_inside_strings_do_not_count_as_depth():
    document = {"name": "[" * 500, "items": [{"a": "{" * 500}]}
    assert json_input.loads(str(document).replace("'", '"')) == document


@pytest.mark.parametrize("raw", [b'["\\ud800"]', b'{"a": 1e999999}', b'{"a": NaN}'])
def test_what_rfc_8259_does_not_allow_is_not_json(raw):
    with pytest.raises(json_input.JSONDecodeError):
        json_input.loads(raw)


@pytest.mark.parametrize("body", [nested(990), nested(5000), b'[{"vehicleId": "\\ud800", "Name": "x"}]'])
def test_trimble_refuses_hostile_json_with_400(trimble, body):
    response = trimble.post("/vehicles", content=body, headers=JSON)
    assert response.status_code == 400
    assert response.json()["message"].startswith(("The request body nests", "The request body is not valid JSON"))


def test_hourfleet_refuses_a_deep_body_with_its_response_status(sandbox):
    owner = sandbox.hourfleet("user")
    response = owner.post("/cars", content=b'{"make":' * 900 + b"1" + b"}" * 900, headers=JSON)
    assert response.status_code == 400
    assert (
        response.json()["ResponseStatus"]["Message"]
        == f"The request body nests arrays and objects deeper than {json_input.MAX_DEPTH} levels."
    )


def test_invers_refuses_a_deep_body_with_a_validation_problem(sandbox):
    owner = sandbox.invers(0)
    vehicle = owner.get("/vehicles").json()["items"][0]
    response = owner.patch(
        f"/vehicles/{vehicle['id']}", content=b'{"master_data":' * 900 + b"{}" + b"}" * 900, headers=JSON
    )
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/validation-error"
