"""/oauth/token and /oauth/auth: the OAuth 2 endpoints (no bearer token; the client id or the
grant itself says which sandbox a request belongs to)."""

from __future__ import annotations

import base64
import binascii
import html
from urllib.parse import urlencode

from mockserver.engine.errors import Unauthenticated
from mockserver.http.context import attribute_current_request, current_registry
from mockserver.http.request import current

from ..errors import OAuthError
from ..oauth import CODES, REFRESH_TOKENS
from ..world import NAME

GRANT_TYPES = ("client_credentials", "authorization_code", "refresh_token")
JSON = {"Content-Type": "application/json", "Cache-Control": "no-store"}


def _basic_credentials() -> tuple[str, str] | None:
    """`Authorization: Basic base64(client_id:client_secret)`, as OAuth 2 clients often send it."""
    scheme, _, value = current().headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_client", "The Basic authorization header is malformed.", 401) from None
    return client_id, secret


def _grant(token: str | None, kind: str):
    """The sandbox and grant behind a code or refresh token; None when the token is not known."""
    try:
        return current_registry().lookup_token(token or "", kind)
    except Unauthenticated:
        return None, None


def issue_token(body: dict):
    body = dict(body)
    basic = _basic_credentials()
    if basic is not None:
        body["client_id"], body["client_secret"] = basic
    grant_type = body["grant_type"]
    if grant_type not in GRANT_TYPES:
        raise OAuthError(
            "unsupported_grant_type",
            f"The grant type '{grant_type}' is not supported; use one of {', '.join(GRANT_TYPES)}.",
        )
    code = refresh_grant = None
    if grant_type == "authorization_code":
        sandbox, code = _grant(body.get("code"), CODES)
    elif grant_type == "refresh_token":
        sandbox, refresh_grant = _grant(body.get("refresh_token"), REFRESH_TOKENS)
    if code is None and refresh_grant is None:
        sandbox = current_registry().find_by_key(NAME, body.get("client_id") or "")
    if sandbox is None:
        raise OAuthError("invalid_client", "The client_id or client_secret is not known.", 401)
    attribute_current_request(sandbox)
    return sandbox.world(NAME).issue_token(body, code, refresh_grant), 200, JSON


def _client_sandbox(client_id: str, redirect_uri: str):
    sandbox = current_registry().find_by_key(NAME, client_id)
    if sandbox is None:
        raise OAuthError(
            "invalid_request", "The client_id is not known, or the redirect_uri is not the one it registered."
        )
    attribute_current_request(sandbox)
    sandbox.world(NAME).check_client(client_id, redirect_uri)
    return sandbox


def authorize(body: dict):
    sandbox = _client_sandbox(body["client_id"], body["redirect_uri"])
    code = sandbox.world(NAME).authorize(body["client_id"], body["redirect_uri"], body["username"], body["password"])
    query = {"code": code} | ({"state": body["state"]} if body.get("state") is not None else {})
    separator = "&" if "?" in body["redirect_uri"] else "?"
    return "", 302, {"Location": f"{body['redirect_uri']}{separator}{urlencode(query)}", "Cache-Control": "no-store"}


def show_login_page(response_type: str, client_id: str, redirect_uri: str, state: str | None = None):
    _client_sandbox(client_id, redirect_uri)
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
        for name, value in (
            ("response_type", response_type),
            ("client_id", client_id),
            ("redirect_uri", redirect_uri),
            ("state", state),
        )
        if value is not None
    )
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head><body>'
        '<h1>Sign in to your car share</h1><form method="post">'
        f'{hidden}<p><label>Username <input name="username" autocomplete="username" required></label></p>'
        '<p><label>Password <input name="password" type="password" autocomplete="current-password" '
        "required></label></p>"
        '<p><button type="submit">Sign in</button></p></form></body></html>'
    )
    return page, 200, {"Content-Type": "text/html"}
