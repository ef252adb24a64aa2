"""Authentication: OAuth 2 grants and the roles enforced per operation (vendor section "Authorized Access")."""

from __future__ import annotations

import httpx

from .. import expect
from ..rules import rule
from . import login_form
from .conftest import users_of

AREA = "Authentication"


def client_token(anonymous, app: dict, **extra):
    return anonymous.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            **extra,
        },
    )


def login(anonymous, app: dict, user: dict, state: str = "fleetbox-state"):
    return anonymous.post("/oauth/auth", data=login_form(app, user, state))


def first_user(credentials) -> dict:
    users = users_of(credentials, "user") or credentials["users"]
    return users[0]


@rule(
    "HOURFLEET-AUTH-01",
    "the client-credentials grant gives a Bearer access_token that expires in 15 minutes, without a refresh_token",
    AREA,
)
def test_client_credentials(anonymous, client_app):
    response = client_token(anonymous, client_app)
    expect.status(response, 200)
    token = expect.json_of(response)
    expect.true(isinstance(token.get("access_token"), str) and token["access_token"], "a non-empty access_token")
    expect.equal(str(token.get("token_type")).lower(), "bearer", "token_type (case-insensitively)")
    expect.equal(token.get("expires_in"), 900, "expires_in")
    expect.true("refresh_token" not in token, "no refresh_token for a client-credentials token")


@rule(
    "HOURFLEET-AUTH-02",
    "POST /oauth/auth with a user's username and password redirects to the redirect_uri with a code and the state",
    AREA,
)
def test_code_without_a_browser(anonymous, client_app, credentials):
    response = login(anonymous, client_app, first_user(credentials), "st-42")
    expect.status(response, 302)
    location = httpx.URL(response.headers.get("location", ""))
    expect.true(str(location).startswith(client_app["redirect_uri"]), f"a redirect to {client_app['redirect_uri']}")
    expect.true(bool(location.params.get("code")), "a code in the redirect's query")
    expect.equal(location.params.get("state"), "st-42", "the state in the redirect")


@rule("HOURFLEET-AUTH-03", "an authorization code is exchanged for a 15-minute user token and a refresh_token", AREA)
def test_code_exchange(anonymous, client_app, credentials):
    code = httpx.URL(login(anonymous, client_app, first_user(credentials)).headers.get("location", "")).params.get(
        "code", ""
    )
    response = anonymous.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": client_app["redirect_uri"],
            "client_id": client_app["client_id"],
            "client_secret": client_app["client_secret"],
        },
    )
    expect.status(response, 200)
    token = expect.json_of(response)
    expect.equal(token.get("expires_in"), 900, "expires_in")
    expect.true(
        bool(token.get("access_token")) and bool(token.get("refresh_token")), "an access_token and a refresh_token"
    )


@rule("HOURFLEET-AUTH-04", "a refresh_token gets a new access token", AREA)
def test_refresh(anonymous, client_app, credentials):
    code = httpx.URL(login(anonymous, client_app, first_user(credentials)).headers.get("location", "")).params.get(
        "code", ""
    )
    secret = {"client_id": client_app["client_id"], "client_secret": client_app["client_secret"]}
    first = anonymous.post(
        "/oauth/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": client_app["redirect_uri"], **secret},
    ).json()
    response = anonymous.post(
        "/oauth/token", data={"grant_type": "refresh_token", "refresh_token": first.get("refresh_token", ""), **secret}
    )
    expect.status(response, 200)
    token = expect.json_of(response)
    expect.true(
        bool(token.get("access_token")) and token["access_token"] != first.get("access_token"), "a new access_token"
    )
    expect.status(anonymous.get("/cars", headers={"Authorization": f"Bearer {token['access_token']}"}), 200)


@rule("HOURFLEET-AUTH-05", "a wrong client_secret is refused with 401 and a ResponseStatus", AREA)
def test_wrong_secret(anonymous, client_app):
    response = anonymous.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_app["client_id"],
            "client_secret": "fleetbox-wrong",
        },
    )
    expect.status(response, 401)
    expect.true("ResponseStatus" in expect.json_of(response), "a ResponseStatus in the body")


@rule("HOURFLEET-AUTH-06", "a request without a token is refused with 401", AREA)
def test_no_token(anonymous):
    expect.status(anonymous.get("/cars"), 401)


@rule("HOURFLEET-AUTH-07", "a request with a token the API never issued is refused with 401", AREA)
def test_unknown_token(anonymous, run_id):
    expect.status(anonymous.get("/cars", headers={"Authorization": f"Bearer {run_id}-not-a-token"}), 401)


@rule(
    "HOURFLEET-AUTH-08",
    "a clientapplication token cannot own a car: POST /cars answers 403",
    AREA,
    writes="its cars (created)",
)
def test_client_applications_cannot_own_cars(app):
    response = app.http.post("/cars", json={"Make": "Kia", "Model": "Niro", "Year": 2022, "LicensePlate": app.plate()})
    if response.status_code == 201:
        app.remember_car(response.json()["Car"]["Id"])
    expect.status(response, 403)


@rule(
    "HOURFLEET-AUTH-09",
    "roles are enforced per operation: a user token cannot register user accounts (403)",
    AREA,
    writes="a user account (tried; it must be refused)",
)
def test_users_cannot_register_accounts(owner, run_id):
    response = owner.http.post(
        "/useraccounts",
        json={"Username": f"{run_id}@example.com", "Password": "password1", "FirstName": "A", "LastName": "B"},
    )
    expect.status(response, 403)


@rule("HOURFLEET-AUTH-10", "GET /oauth/auth shows an HTML login page for a browser", AREA)
def test_login_page(anonymous, client_app):
    response = anonymous.get(
        "/oauth/auth",
        params={
            "response_type": "code",
            "client_id": client_app["client_id"],
            "redirect_uri": client_app["redirect_uri"],
        },
    )
    expect.status(response, 200)
    expect.true(response.headers.get("content-type", "").startswith("text/html"), "an HTML page")
    expect.true(
        "password" in response.text.lower() and "<form" in response.text.lower(), "a form asking for the password"
    )
