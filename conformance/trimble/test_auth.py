"""Authentication: API keys, tokens, partner access (vendor page "Authenticate API calls")."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from .. import expect
from ..rules import rule

AREA = "Authentication"
INVALID_KEY = "Invalid apiKey value or alias sent"


def authenticate(client, body: dict):
    return client.post("/accounts/authenticate", json=body)


@rule("TRIMBLE-AUTH-01", "an API key is exchanged for a token and its expiry time", AREA)
def test_a_key_gets_a_token(anonymous, accounts):
    response = authenticate(anonymous, {"apiKey": accounts[0]["apiKey"]})
    expect.status(response, 200)
    body = expect.json_of(response)
    expect.true(isinstance(body.get("token"), str) and body["token"], "a non-empty `token`")
    expect.true(
        isinstance(body.get("expires"), str) and expect.RFC3339.match(body["expires"]),
        "`expires` as an RFC 3339 timestamp",
    )


@rule("TRIMBLE-AUTH-02", "the token is a JWT", AREA)
def test_the_token_is_a_jwt(anonymous, accounts):
    token = expect.json_of(authenticate(anonymous, {"apiKey": accounts[0]["apiKey"]}))["token"]
    parts = token.split(".")
    expect.equal(len(parts), 3, "the number of dot-separated parts of the token")
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        raise AssertionError("expected the token's middle part to be base64url-encoded JSON claims") from None
    expect.true(isinstance(claims, dict), "the token's claims to be a JSON object")


@rule("TRIMBLE-AUTH-03", "a token's expiry time lies in the future", AREA)
def test_the_expiry_is_in_the_future(anonymous, accounts):
    response = authenticate(anonymous, {"apiKey": accounts[0]["apiKey"]})
    expires = datetime.fromisoformat(expect.json_of(response)["expires"].upper().replace("Z", "+00:00"))
    now = parsedate_to_datetime(response.headers["date"]) if "date" in response.headers else datetime.now(UTC)
    expect.true(
        expires > now, f"`expires` ({expires.isoformat()}) to be after the time of the answer ({now.isoformat()})"
    )


@rule("TRIMBLE-AUTH-04", f'an unknown API key is refused with 400 "{INVALID_KEY}"', AREA)
def test_an_unknown_key_is_a_400(anonymous, run_id):
    response = authenticate(anonymous, {"apiKey": f"{run_id}-no-such-key"})
    expect.status(response, 400)
    expect.true(INVALID_KEY in response.text, f'the message "{INVALID_KEY}"')


@rule("TRIMBLE-AUTH-05", "a request without a token is refused with 401", AREA)
def test_no_token_is_a_401(anonymous):
    expect.status(anonymous.get("/vehicles"), 401)


@rule("TRIMBLE-AUTH-06", "a request with a token the API never issued is refused with 401", AREA)
def test_an_unknown_token_is_a_401(anonymous, run_id):
    expect.status(anonymous.get("/vehicles", headers={"Authorization": f"bearer {run_id}.not.a-token"}), 401)


@rule("TRIMBLE-AUTH-07", "a partner's key may act on a customer account by naming it in accountId", AREA)
def test_a_partner_acts_for_its_customer(customer):
    expect.status(customer.http.get("/vehicles", params={"limit": 1}), 200)


@rule("TRIMBLE-AUTH-08", "an accountId the key may not act for is refused with 400", AREA)
def test_a_foreign_account_id_is_a_400(anonymous, accounts):
    key_holder = accounts[0]
    others = [a["accountId"] for a in accounts[1:] if "accountId" in a] + [
        c["accountId"] for a in accounts[1:] for c in a.get("customerAccounts", [])
    ]
    foreign = others[0] if key_holder["type"] == "direct" and others else 1
    response = authenticate(anonymous, {"apiKey": key_holder["apiKey"], "accountId": foreign})
    expect.status(response, 400)
    expect.true(INVALID_KEY in response.text, f'the message "{INVALID_KEY}"')


@rule("TRIMBLE-AUTH-09", "GET /accounts lists a partner's customer accounts with AccountId and AccountName", AREA)
def test_a_partner_lists_its_customers(partner, accounts):
    response = partner.http.get("/accounts")
    expect.status(response, 200)
    listed = {a.get("AccountId") for a in expect.json_of(response).get("data", [])}
    known = {c["accountId"] for a in accounts if a["type"] == "partner" for c in a.get("customerAccounts", [])}
    expect.true(known <= listed, f"the customer accounts {sorted(known)} among those listed ({sorted(listed)})")
    expect.true(all("AccountName" in a for a in expect.json_of(response)["data"]), "an AccountName on every account")


@rule(
    "TRIMBLE-AUTH-10",
    'GET /accounts with a non-partner token is refused with 400 "Token does not have partner level access"',
    AREA,
)
def test_a_direct_token_has_no_partner_access(direct):
    response = direct.http.get("/accounts")
    expect.status(response, 400)
    expect.true("Token does not have partner level access" in response.text, "the message about partner level access")
