"""Authentication: an API key buys a token; vehicles need one."""

from __future__ import annotations

from conformance import expect
from conformance.rules import rule

AREA = "Authentication"


@rule("TINYFLEET-AUTH-01", "an unknown API key gets a 400 error document, not a token", AREA)
def test_an_unknown_key_gets_no_token(anonymous):
    response = anonymous.post("/token", json={"apiKey": "not-a-key-of-this-fleet"})
    expect.status(response, 400)
    expect.true("error" in expect.json_of(response), "an `error` document")


@rule("TINYFLEET-AUTH-02", "a vehicle request without a token gets a 401", AREA)
def test_vehicles_need_a_token(anonymous):
    expect.status(anonymous.get("/vehicles"), 401)
