"""OAuth 2: client credentials, the authorization code without a browser, refresh tokens, roles."""

from __future__ import annotations

import base64

import httpx

from conformance.hourfleet import login_form

from ..support import SandboxHandle


def token_request(sandbox, **fields):
    return sandbox.anonymous_hourfleet().post("/oauth/token", data=fields)


def test_client_credentials_give_a_15_minute_clientapplication_token_without_refresh(sandbox):
    token = sandbox.hourfleet_token()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 900
    assert token["scope"] == "clientapplication" and "refresh_token" not in token


def test_basic_authentication_of_the_client_works_too(sandbox):
    app = sandbox.hourfleet_app
    basic = base64.b64encode(f"{app['client_id']}:{app['client_secret']}".encode()).decode()
    response = sandbox.anonymous_hourfleet().post(
        "/oauth/token", data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
    )
    assert response.status_code == 200, response.text


def test_a_wrong_secret_or_unknown_client_is_401_invalid_client(sandbox):
    app = sandbox.hourfleet_app
    for client_id, secret in ((app["client_id"], "nope"), ("hf-unknown", app["client_secret"])):
        response = token_request(sandbox, grant_type="client_credentials", client_id=client_id, client_secret=secret)
        assert response.status_code == 401
        assert response.json()["ResponseStatus"]["ErrorCode"] == "invalid_client"


def test_an_unsupported_grant_type_is_400(sandbox):
    app = sandbox.hourfleet_app
    response = token_request(
        sandbox, grant_type="password", client_id=app["client_id"], client_secret=app["client_secret"]
    )
    assert response.status_code == 400
    assert response.json()["ResponseStatus"]["ErrorCode"] == "unsupported_grant_type"


def test_the_code_grant_without_a_browser_redirects_with_code_and_state(sandbox):
    app, user = sandbox.hourfleet_app, sandbox.hourfleet_users()[0]
    response = sandbox.anonymous_hourfleet().post(
        "/oauth/auth",
        data={
            "username": user["username"],
            "password": user["password"],
            "response_type": "code",
            "client_id": app["client_id"],
            "redirect_uri": app["redirect_uri"],
            "state": "abc 123",
        },
    )
    assert response.status_code == 302
    location = httpx.URL(response.headers["location"])
    assert str(location).startswith(app["redirect_uri"] + "?")
    assert location.params["state"] == "abc 123" and location.params["code"]


def test_a_user_token_has_role_user_and_a_refresh_token_that_works(sandbox):
    token = sandbox.hourfleet_token(sandbox.hourfleet_users()[0])
    assert token["scope"] == "user" and token["expires_in"] == 900 and token["refresh_token"]
    app = sandbox.hourfleet_app
    refreshed = token_request(
        sandbox,
        grant_type="refresh_token",
        refresh_token=token["refresh_token"],
        client_id=app["client_id"],
        client_secret=app["client_secret"],
    )
    assert refresh_ok(refreshed) and refreshed.json()["access_token"] != token["access_token"]


def refresh_ok(response) -> bool:
    return response.status_code == 200 and response.json()["token_type"] == "Bearer"


def test_the_operator_gets_roles_user_and_ops(sandbox):
    assert sandbox.hourfleet_token(sandbox.hourfleet_users("ops")[0])["scope"] == "ops user"


def test_a_code_works_once(sandbox):
    app, user = sandbox.hourfleet_app, sandbox.hourfleet_users()[0]
    client = sandbox.anonymous_hourfleet()
    redirected = client.post("/oauth/auth", data=login_form(app, user))
    code = httpx.URL(redirected.headers["location"]).params["code"]
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
    }
    assert client.post("/oauth/token", data=exchange).status_code == 200
    again = client.post("/oauth/token", data=exchange)
    assert again.status_code == 400 and again.json()["ResponseStatus"]["ErrorCode"] == "invalid_grant"


def test_a_wrong_password_is_401_and_a_foreign_redirect_uri_400(sandbox):
    app, user = sandbox.hourfleet_app, sandbox.hourfleet_users()[0]
    base = {"username": user["username"], "response_type": "code", "client_id": app["client_id"]}
    wrong = sandbox.anonymous_hourfleet().post(
        "/oauth/auth", data={**base, "password": "nope", "redirect_uri": app["redirect_uri"]}
    )
    assert wrong.status_code == 401 and "location" not in wrong.headers
    foreign = sandbox.anonymous_hourfleet().post(
        "/oauth/auth", data={**base, "password": user["password"], "redirect_uri": "http://127.0.0.1:9/evil"}
    )
    assert foreign.status_code == 400 and "location" not in foreign.headers


def test_the_login_page_is_a_form_posting_back_with_the_request(sandbox):
    app = sandbox.hourfleet_app
    page = sandbox.anonymous_hourfleet().get(
        "/oauth/auth",
        params={
            "response_type": "code",
            "client_id": app["client_id"],
            "redirect_uri": app["redirect_uri"],
            "state": "x<y",
        },
    )
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<form method="post">' in page.text and 'name="password"' in page.text and "x&lt;y" in page.text


def test_tokens_expire_on_the_sandbox_clock_and_refresh_tokens_outlive_them(sandbox):
    token = sandbox.hourfleet_token(sandbox.hourfleet_users()[0])
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    client = sandbox.anonymous_hourfleet()
    assert client.get("/cars", headers=headers).status_code == 200
    sandbox.control.post(f"/sandboxes/{sandbox.id}/clock/advance", json={"seconds": 901})
    expired = client.get("/cars", headers=headers)
    assert expired.status_code == 401 and "expired" in expired.json()["ResponseStatus"]["Message"]
    app = sandbox.hourfleet_app
    refreshed = token_request(
        sandbox,
        grant_type="refresh_token",
        refresh_token=token["refresh_token"],
        client_id=app["client_id"],
        client_secret=app["client_secret"],
    )
    assert refresh_ok(refreshed)


def test_roles_are_enforced_per_operation(app, owner, ops):
    refused = app.post("/cars", json={"Make": "Kia", "Model": "Niro", "Year": 2022, "LicensePlate": "ROLE-1"})
    assert refused.status_code == 403 and refused.json()["ResponseStatus"]["ErrorCode"] == "Forbidden"
    assert (
        owner.post(
            "/useraccounts",
            json={"Username": "x@y.example", "Password": "password1", "FirstName": "X", "LastName": "Y"},
        ).status_code
        == 403
    )
    assert owner.get("/webhooks/subscriptions").status_code == 403
    assert ops.get("/webhooks/subscriptions").status_code == 200
    assert app.get(f"/cars/{'0' * 8}-0000-0000-0000-{'0' * 12}/bookings").status_code == 403


def test_a_new_user_account_can_sign_in(sandbox, app):
    created = app.post(
        "/useraccounts",
        json={
            "username": "new.person@example.com",
            "password": "correct horse",
            "first_name": "New",
            "last_name": "Person",
        },
    )
    assert created.status_code == 201, created.text
    account = created.json()["UserAccount"]
    assert account["Roles"] == ["user"] and "Password" not in account
    assert (
        app.post(
            "/useraccounts",
            json={"Username": "NEW.person@example.com", "Password": "whatever1", "FirstName": "A", "LastName": "B"},
        ).status_code
        == 409
    )
    token = sandbox.hourfleet_token({"username": "new.person@example.com", "password": "correct horse"})
    me = sandbox.anonymous_hourfleet().get(
        "/useraccounts", headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert [u["Id"] for u in me.json()["UserAccounts"]] == [account["Id"]]


def test_users_see_only_their_own_account(owner, borrower, ops):
    mine = owner.get("/useraccounts").json()["UserAccounts"]
    assert len(mine) == 1
    assert owner.get(f"/useraccounts/{mine[0]['Id']}").status_code == 200
    assert borrower.get(f"/useraccounts/{mine[0]['Id']}").status_code == 403
    assert ops.get("/useraccounts").json()["Metadata"]["Total"] > 1


def test_two_sandboxes_of_one_seed_have_their_own_clients_and_data(sandbox, owner):
    twin = httpx.post(f"{sandbox.server_url}/__sandbox/sandboxes", json={"seed": 7, "size": 12}).json()
    try:
        twin_app = twin["credentials"]["hourfleet"]["client_applications"][0]
        assert twin_app["client_id"] != sandbox.hourfleet_app["client_id"]
        assert twin["credentials"]["hourfleet"]["users"] == sandbox.data["credentials"]["hourfleet"]["users"]
        owner.post("/cars", json={"Make": "Kia", "Model": "Niro", "Year": 2022, "LicensePlate": "ONLY-1"})
        twin_owner = SandboxHandle(sandbox.server_url, twin).hourfleet("user", 0)
        assert "ONLY-1" not in {c["LicensePlate"] for c in twin_owner.get("/cars").json()["Cars"]}
    finally:
        httpx.delete(f"{sandbox.server_url}/__sandbox/sandboxes/{twin['id']}")
