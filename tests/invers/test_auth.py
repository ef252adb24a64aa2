"""POST /auth/oauth/token and bearer tokens: client credentials, 15-minute tokens, missing and bad credentials."""

from __future__ import annotations

import base64

import httpx
import pytest

from mockserver.invers.world import TOKEN_LIFETIME

from .steps import LONER, OWNER

GRANT = {"grant_type": "client_credentials"}


def token_request(sandbox, auth=None, headers=None, params=GRANT, **kwargs):
    return sandbox.anonymous_invers().post(
        "/auth/oauth/token", params=params, auth=auth, headers=headers or {}, **kwargs
    )


def basic(client: dict) -> tuple[str, str]:
    return client["client_id"], client["client_secret"]


def test_client_credentials_get_a_15_minute_bearer_token(sandbox):
    response = token_request(sandbox, auth=basic(sandbox.invers_client(OWNER)))
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 900 == TOKEN_LIFETIME.total_seconds()
    assert body["access_token"] and response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"] == "application/json"


def test_the_grant_type_may_come_in_a_form_body_as_oauth_libraries_send_it(sandbox):
    response = token_request(sandbox, auth=basic(sandbox.invers_client(OWNER)), params={}, data=GRANT)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("params", [{}, {"grant_type": "password"}])
def test_a_missing_or_other_grant_type_is_a_validation_error_naming_it(sandbox, params):
    response = token_request(sandbox, auth=basic(sandbox.invers_client(OWNER)), params=params)
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == "/problems/validation-error"
    assert [e["field"] for e in problem["errors"]] == ["grant_type"]


def test_no_credentials_are_missing_credentials(sandbox):
    response = token_request(sandbox)
    assert response.status_code == 401
    assert response.json()["type"] == "/problems/missing-credentials"


@pytest.mark.parametrize(
    "authorization",
    [
        "Basic " + base64.b64encode(b"no-such-client:secret").decode(),
        "Basic not-base64!",
        "Basic " + base64.b64encode(b"no-colon").decode(),
        "Bearer some-token",
    ],
)
def test_unknown_or_malformed_credentials_are_invalid_credentials(sandbox, authorization):
    response = token_request(sandbox, headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.json()["type"] == "/problems/invalid-credentials"


def test_a_wrong_secret_is_invalid_credentials(sandbox):
    client = sandbox.invers_client(OWNER)
    response = token_request(sandbox, auth=(client["client_id"], client["client_secret"] + "x"))
    assert response.status_code == 401
    assert response.json()["type"] == "/problems/invalid-credentials"


def test_each_client_acts_for_its_own_fleet(sandbox):
    for fleet in (OWNER, LONER):
        client, fleet_id = sandbox.invers(fleet), sandbox.invers_client(fleet)["fleet_id"]
        owners = {
            v["fleet_id"]
            for v in client.get("/vehicles", params={"limit": 100}).json()["items"]
            if v["sharing"] is None
        }
        assert owners == {fleet_id}


def test_client_ids_are_unique_across_sandboxes_of_the_same_seed(sandbox, server):
    twin = httpx.post(f"{server.url}/__sandbox/sandboxes", json={"seed": 7, "size": 12}).json()
    try:
        ours = {c["client_id"] for c in sandbox.data["credentials"]["invers"]}
        theirs = {c["client_id"] for c in twin["credentials"]["invers"]}
        assert ours.isdisjoint(theirs)
        assert {c["fleet_id"] for c in sandbox.data["credentials"]["invers"]} == {
            c["fleet_id"] for c in twin["credentials"]["invers"]
        }
    finally:
        httpx.delete(f"{server.url}/__sandbox/sandboxes/{twin['id']}")
