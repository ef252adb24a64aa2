"""OAuth 2 of the hourfleet profile: client credentials, authorization codes and refresh tokens.

Access tokens, codes and refresh tokens are all issued through the sandbox's token book (under
distinct profile names), so each finds its sandbox and expires on its clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING

from .contract import NAME
from .errors import OAuthError
from .records import CLIENT_APPLICATION, Caller, ClientApplication, User

if TYPE_CHECKING:
    from mockserver.engine.sandbox import Sandbox
    from mockserver.engine.tokens import Grant

CODES = "hourfleet-code"
REFRESH_TOKENS = "hourfleet-refresh"
ACCESS_LIFETIME = timedelta(minutes=15)
CODE_LIFETIME = timedelta(minutes=10)
REFRESH_LIFETIME = timedelta(days=30)


def client_of(
    clients: Mapping[str, ClientApplication], client_id: str | None, client_secret: str | None
) -> ClientApplication:
    """The client application the id and secret name; `invalid_client` (401) otherwise."""
    client = clients.get(client_id or "")
    if client is None or client_secret != client.client_secret:
        raise OAuthError("invalid_client", "The client_id or client_secret is not known.", 401)
    return client


def issue(
    sandbox: Sandbox,
    clients: Mapping[str, ClientApplication],
    users: Mapping[str, User],
    used_codes: set[str],
    body: dict,
    code: Grant | None,
    refresh_grant: Grant | None,
) -> dict:
    """The token endpoint: a token for the body's grant type, from the client it names."""
    client = client_of(clients, body.get("client_id"), body.get("client_secret"))
    grant_type = body["grant_type"]
    if grant_type == "client_credentials":
        return client_credentials(sandbox, client)
    if grant_type == "authorization_code":
        if code is None:
            raise OAuthError("invalid_grant", "The authorization code is not known.")
        return exchange_code(sandbox, users, used_codes, client, code, body.get("redirect_uri"))
    if refresh_grant is None:
        raise OAuthError("invalid_grant", "The refresh token is not known.")
    return refresh(sandbox, users, client, refresh_grant)


def registered_client(clients: Mapping[str, ClientApplication], client_id: str, redirect_uri: str) -> ClientApplication:
    """The client application of `client_id`, if `redirect_uri` is the one it registered."""
    client = clients.get(client_id)
    if client is None or client.redirect_uri != redirect_uri:
        raise OAuthError(
            "invalid_request", "The client_id is not known, or the redirect_uri is not the one it registered."
        )
    return client


def login(users: Mapping[str, User], username: str, password: str) -> User:
    """The user with this username (in any case) and password; `invalid_credentials` (401) otherwise."""
    user = next((u for u in users.values() if u.username.casefold() == username.casefold()), None)
    if user is None or user.password != password:
        raise OAuthError("invalid_credentials", "The username or password is not correct.", 401)
    return user


def _token(sandbox: Sandbox, caller: Caller, refresh_token: str | None = None) -> dict:
    grant = sandbox.issue_token(NAME, caller, ACCESS_LIFETIME, roles=caller.roles, principal=caller.principal)
    answer = {
        "access_token": grant.token,
        "token_type": "Bearer",
        "expires_in": int(ACCESS_LIFETIME.total_seconds()),
        "scope": " ".join(sorted(caller.roles)),
    }
    if refresh_token:
        answer["refresh_token"] = refresh_token
    return answer


def client_credentials(sandbox: Sandbox, client: ClientApplication) -> dict:
    """A `clientapplication` token: no user, no refresh token."""
    return _token(sandbox, Caller(client.client_id, frozenset({CLIENT_APPLICATION})))


def authorize(sandbox: Sandbox, client: ClientApplication, user: User, redirect_uri: str) -> str:
    """An authorization code for `user` through `client`, bound to `redirect_uri`."""
    grant = sandbox.issue_token(CODES, (user.id, client.client_id, redirect_uri), CODE_LIFETIME, principal=user.id)
    return grant.token


def exchange_code(
    sandbox: Sandbox,
    users: Mapping[str, User],
    used_codes: set[str],
    client: ClientApplication,
    code: Grant,
    redirect_uri: str | None,
) -> dict:
    user_id, client_id, bound_uri = code.subject
    if code.expired_at(sandbox.now()) or code.token in used_codes:
        raise OAuthError("invalid_grant", "The authorization code has expired or was already used.")
    if client_id != client.client_id or (redirect_uri or bound_uri) != bound_uri:
        raise OAuthError("invalid_grant", "The authorization code was issued to another client or redirect_uri.")
    used_codes.add(code.token)
    return _user_tokens(sandbox, users, client, user_id)


def refresh(sandbox: Sandbox, users: Mapping[str, User], client: ClientApplication, refresh_grant: Grant) -> dict:
    user_id, client_id = refresh_grant.subject
    if refresh_grant.expired_at(sandbox.now()) or client_id != client.client_id:
        raise OAuthError("invalid_grant", "The refresh token has expired or belongs to another client.")
    return _token(sandbox, _user_caller(users, client, user_id), refresh_grant.token)


def _user_caller(users: Mapping[str, User], client: ClientApplication, user_id: str) -> Caller:
    user = users.get(user_id)
    if user is None:
        raise OAuthError("invalid_grant", "The user of this grant no longer exists.")
    return Caller(client.client_id, frozenset(user.roles), user.id)


def _user_tokens(sandbox: Sandbox, users: Mapping[str, User], client: ClientApplication, user_id: str) -> dict:
    caller = _user_caller(users, client, user_id)
    subject = (user_id, client.client_id)
    refresh_grant = sandbox.issue_token(REFRESH_TOKENS, subject, REFRESH_LIFETIME, principal=user_id)
    return _token(sandbox, caller, refresh_grant.token)
