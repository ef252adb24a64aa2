"""Each shipped profile as a test sees it: its base URL, its typed credentials, and ready tokens where the
vendor's flow takes more than one call (a Hourfleet user token without the browser step)."""

from __future__ import annotations

from typing import Any

import httpx

from .control import ssl_context
from .credentials import (
    HourfleetApplication,
    HourfleetCredentials,
    HourfleetUser,
    InversClient,
    InversCredentials,
    TrimbleAccount,
    TrimbleCredentials,
)

TIMEOUT_SECONDS = 30


class VendorError(Exception):
    """A vendor API refused the credentials the control plane handed out (a broken sandbox, or a fault rule)."""


def _ok(response: httpx.Response, status: int = 200) -> httpx.Response:
    if response.status_code != status:
        request = response.request
        raise VendorError(f"{request.method} {request.url} answered {response.status_code}: {response.text[:300]}")
    return response


class ProfileAccess:
    """A profile of one sandbox: `base_url`, its credentials' fields (`.direct`, `.fleets`, ...), and `client()`."""

    def __init__(self, base_url: str, credentials: Any) -> None:
        self.base_url = base_url
        self.credentials = credentials

    def __getattr__(self, name: str) -> Any:
        # Only reached for names this class lacks: the typed credentials' own (`direct`, `fleets`, `users`).
        if name == "credentials":
            raise AttributeError(name)
        return getattr(self.credentials, name)

    def client(self, token: str | None = None, **options: Any) -> httpx.Client:
        """An httpx client on the profile's base URL, with `token` as its bearer token."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        options.setdefault("verify", ssl_context())
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=TIMEOUT_SECONDS, **options)

    def _post(self, path: str, **kwargs: Any) -> httpx.Response:
        with httpx.Client(base_url=self.base_url, timeout=TIMEOUT_SECONDS, verify=ssl_context()) as http:
            return http.post(path, **kwargs)


class TrimbleAccess(ProfileAccess):
    credentials: TrimbleCredentials

    def token(self, account: TrimbleAccount | None = None, customer_id: int | None = None) -> str:
        """A bearer token for `account` (the direct one by default), or for a partner's customer."""
        body: dict[str, Any] = {"apiKey": (account or self.credentials.direct).api_key}
        if customer_id is not None:
            body["accountId"] = customer_id
        return _ok(self._post("/accounts/authenticate", json=body)).json()["token"]


class InversAccess(ProfileAccess):
    credentials: InversCredentials

    def token(self, fleet: InversClient | int = 0) -> str:
        """A bearer token of a fleet's API client (the first fleet's by default)."""
        client = self.credentials.fleets[fleet] if isinstance(fleet, int) else fleet
        response = self._post(
            "/auth/oauth/token",
            params={"grant_type": "client_credentials"},
            auth=(client.client_id, client.client_secret),
        )
        return _ok(response).json()["access_token"]


class HourfleetAccess(ProfileAccess):
    credentials: HourfleetCredentials

    def app_token(self, app: HourfleetApplication | None = None) -> str:
        """A client-credentials token of the client application (role `clientapplication`)."""
        app = app or self.credentials.app
        form = {"grant_type": "client_credentials", "client_id": app.client_id, "client_secret": app.client_secret}
        return _ok(self._post("/oauth/token", data=form)).json()["access_token"]

    def user_token(self, user: HourfleetUser | str | None = None, app: HourfleetApplication | None = None) -> str:
        """A token acting as `user` (a member by default; or a username): the authorization-code grant, with the
        login form posted as a browser would, and the code exchanged."""
        app = app or self.credentials.app
        if user is None:
            user = self.credentials.members[0]
        elif isinstance(user, str):
            user = next(u for u in self.credentials.users if u.username == user)
        login = {
            "username": user.username,
            "password": user.password,
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": app.redirect_uri,
            "state": "fleetbox",
        }
        code = httpx.URL(_ok(self._post("/oauth/auth", data=login), 302).headers["location"]).params["code"]
        exchange = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": app.redirect_uri,
            "client_id": app.client_id,
            "client_secret": app.client_secret,
        }
        return _ok(self._post("/oauth/token", data=exchange)).json()["access_token"]
