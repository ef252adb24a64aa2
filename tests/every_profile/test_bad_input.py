"""A body that is not JSON, or not UTF-8, is each vendor's 400 naming the problem, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from ..invers.steps import idle_car
from .vendors import HOURFLEET, INVERS, TRIMBLE, Vendor, each

NOT_UTF_8 = b"\xff\xfe\x00"


@dataclass(frozen=True)
class Write:
    """Where a vendor's test sends its body, what it reads back to see nothing changed, and the error's words."""

    method: str
    # (sandbox, client) -> the path to send to
    path: Callable
    # (client, path) -> what must be the same before and after
    snapshot: Callable
    # response -> the error message, once the vendor's error shape is checked
    message: Callable


def trimble_message(response) -> str:
    return response.json()["message"]


def invers_message(response) -> str:
    assert response.json()["type"] == "/problems/validation-error"
    return response.json()["detail"]


def hourfleet_message(response) -> str:
    status = response.json()["ResponseStatus"]
    assert set(status) == {"ErrorCode", "Message", "Errors", "Meta"}
    return status["Message"]


def an_idle_car(sandbox, client) -> str:
    return f"/vehicles/{idle_car(client, sandbox.invers_client(0)['fleet_id'])['id']}"


WRITES = {
    "trimble": Write(
        "POST",
        lambda sandbox, client: "/vehicles",
        lambda client, path: client.get("/vehicles").json()["size"],
        trimble_message,
    ),
    "invers": Write("PATCH", an_idle_car, lambda client, path: client.get(path).json(), invers_message),
    "hourfleet": Write(
        "POST",
        lambda sandbox, client: "/cars",
        lambda client, path: client.get("/cars").json()["Metadata"]["Total"],
        hourfleet_message,
    ),
}


@pytest.mark.parametrize(
    "vendor,content,expected",
    each(
        (TRIMBLE, b"[{", "not valid JSON"),
        (TRIMBLE, NOT_UTF_8, "not valid utf-8"),
        (INVERS, b'{"master_data": ', "not valid JSON"),
        (INVERS, NOT_UTF_8, "not valid utf-8"),
        (HOURFLEET, b"{", "not valid JSON"),
        (HOURFLEET, NOT_UTF_8, "not valid utf-8"),
        suffix=lambda case: "not-utf-8" if case[1] == NOT_UTF_8 else "not-json",
    ),
)
def test_a_body_that_is_no_json_is_400_and_changes_nothing(sandbox, vendor: Vendor, content, expected):
    write = WRITES[vendor.name]
    client = vendor.caller(sandbox, 0)
    path = write.path(sandbox, client)
    before = write.snapshot(client, path)
    response = client.request(write.method, path, content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert expected in write.message(response)
    assert write.snapshot(client, path) == before
