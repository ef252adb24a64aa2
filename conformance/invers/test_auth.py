"""Authentication: OAuth 2.0 client credentials and 15-minute bearer tokens (INVERS "Authentication")."""

from __future__ import annotations

from .. import expect
from ..rules import rule
from . import GRANT, TOKEN_PATH
from .problems import expect_problem

AREA = "Authentication"


@rule(
    "INVERS-AUTH-01",
    "client credentials (HTTP Basic, grant_type=client_credentials in the query) get a bearer token that expires in "
    "900 seconds",
    AREA,
)
def test_client_credentials_get_a_token(anonymous, clients):
    client = clients[0]
    response = anonymous.post(TOKEN_PATH, params=GRANT, auth=(client["client_id"], client["client_secret"]))
    expect.status(response, 200)
    body = expect.json_of(response)
    expect.true(isinstance(body.get("access_token"), str) and body["access_token"], "a non-empty access_token")
    expect.equal(str(body.get("token_type")).lower(), "bearer", "token_type")
    expect.equal(body.get("expires_in"), 900, "expires_in")


@rule("INVERS-AUTH-02", "a token request without credentials is refused with 401 /problems/missing-credentials", AREA)
def test_a_token_request_without_credentials(anonymous):
    expect_problem(anonymous.post(TOKEN_PATH, params=GRANT), 401, "/problems/missing-credentials")


@rule("INVERS-AUTH-03", "a wrong client secret is refused with 401 /problems/invalid-credentials", AREA)
def test_a_wrong_secret(anonymous, clients):
    client = clients[0]
    response = anonymous.post(TOKEN_PATH, params=GRANT, auth=(client["client_id"], client["client_secret"] + "-wrong"))
    expect_problem(response, 401, "/problems/invalid-credentials")


@rule("INVERS-AUTH-04", "an API request without a token is refused with 401 /problems/missing-credentials", AREA)
def test_no_token(anonymous):
    expect_problem(anonymous.get("/vehicles"), 401, "/problems/missing-credentials")


@rule(
    "INVERS-AUTH-05",
    "an API request with a token the API never issued is refused with 401 /problems/invalid-credentials",
    AREA,
)
def test_an_unknown_token(anonymous):
    response = anonymous.get("/vehicles", headers={"Authorization": "Bearer fleetbox-check-not-a-token"})
    expect_problem(response, 401, "/problems/invalid-credentials")


@rule(
    "INVERS-AUTH-06",
    "a token is refused with 401 /problems/invalid-credentials once its 900 seconds have passed",
    AREA,
    writes="the sandbox's clock (moved on)",
)
def test_tokens_expire(anonymous, clients, tokens, clock):
    response = tokens.request(clients[0])
    expect.status(response, 200)
    token = {"Authorization": f"Bearer {response.json()['access_token']}"}
    expect.status(anonymous.get("/sharing-partners", headers=token), 200)
    clock.let_pass(901)
    expect_problem(anonymous.get("/sharing-partners", headers=token), 401, "/problems/invalid-credentials")


@rule(
    "INVERS-AUTH-07", "each API client acts for its own fleet: the vehicles it owns in its list are its fleet's", AREA
)
def test_a_client_acts_for_its_fleet(any_fleet):
    owners = {v.get("fleet_id") for v in any_fleet.vehicles() if not v.get("sharing")}
    expect.true(
        owners <= {any_fleet.fleet_id},
        f"only vehicles of fleet {any_fleet.fleet_id} unshared in its list, found owners {sorted(map(str, owners))}",
    )
