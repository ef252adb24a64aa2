"""POST /accounts/authenticate, GET /accounts, and what tokens may do."""

from __future__ import annotations

from datetime import datetime, timedelta

import jwt

from mockserver.trimble.world import TOKEN_LIFETIME


def test_a_key_gets_a_jwt_that_expires_after_the_documented_lifetime(sandbox):
    client = sandbox.anonymous_trimble()
    before = datetime.fromisoformat(sandbox.control.get(f"/sandboxes/{sandbox.id}/clock").json()["now"])
    response = client.post("/accounts/authenticate", json={"apiKey": sandbox.trimble_account("direct")["apiKey"]})
    assert response.status_code == 200
    body = response.json()
    expires = datetime.fromisoformat(body["expires"])
    assert body["expires"].endswith("Z")
    assert timedelta(0) <= expires - (before + TOKEN_LIFETIME) < timedelta(seconds=5)
    claims = jwt.decode(body["token"], options={"verify_signature": False})
    assert claims["sub"] == str(sandbox.trimble_account("direct")["accountId"])


def test_an_unknown_key_is_a_400_with_the_vendors_message(sandbox):
    response = sandbox.anonymous_trimble().post("/accounts/authenticate", json={"apiKey": "not-a-key"})
    assert response.status_code == 400
    assert response.json() == {"message": "Invalid apiKey value or alias sent"}


def test_a_direct_key_cannot_name_another_account(sandbox):
    partner = sandbox.trimble_account("partner")
    body = {"apiKey": sandbox.trimble_account("direct")["apiKey"], "accountId": partner["accountId"]}
    response = sandbox.anonymous_trimble().post("/accounts/authenticate", json=body)
    assert response.status_code == 400
    assert response.json()["message"] == "Invalid apiKey value or alias sent"


def test_a_partner_key_may_act_for_its_customers_only(sandbox):
    partner = sandbox.trimble_account("partner")
    customer = partner["customerAccounts"][0]["accountId"]
    client = sandbox.anonymous_trimble()
    as_customer = client.post("/accounts/authenticate", json={"apiKey": partner["apiKey"], "accountId": str(customer)})
    assert as_customer.status_code == 200
    foreign = sandbox.trimble_account("direct")["accountId"]
    refused = client.post("/accounts/authenticate", json={"apiKey": partner["apiKey"], "accountId": foreign})
    assert refused.status_code == 400


def test_the_partner_lists_its_customer_accounts(sandbox):
    partner = sandbox.trimble_account("partner")
    response = sandbox.trimble("partner").get("/accounts")
    assert response.status_code == 200
    listed = {(a["AccountId"], a["AccountName"]) for a in response.json()["data"]}
    assert listed == {(c["accountId"], c["accountName"]) for c in partner["customerAccounts"]}
    assert len(listed) >= 1


def test_a_non_partner_token_has_no_partner_level_access(sandbox):
    response = sandbox.trimble("direct").get("/accounts")
    assert response.status_code == 400
    assert response.json() == {"message": "Token does not have partner level access"}
