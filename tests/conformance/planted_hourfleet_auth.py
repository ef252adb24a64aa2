"""Hourfleet bugs planted in authentication, methods and limits, and webhooks: one per rule at least."""

from __future__ import annotations

import secrets

from mockserver.engine.errors import Forbidden, Unauthenticated
from mockserver.hourfleet import bookings as booking_rules
from mockserver.hourfleet import oauth, subscriptions
from mockserver.hourfleet.handlers import oauth as oauth_handlers
from mockserver.hourfleet.records import CLIENT_APPLICATION, Caller
from mockserver.http import rendering
from mockserver.http.routes import DeclaredMethodsOnly

from .planted_hourfleet_kit import answer_errors_with, bug, rewrite_answers, with_header


def _client_tokens_refreshable(monkeypatch):
    real = oauth.client_credentials
    monkeypatch.setattr(
        oauth,
        "client_credentials",
        lambda sandbox, client: {**real(sandbox, client), "refresh_token": secrets.token_hex()},
    )


def _state_dropped(monkeypatch):
    real = oauth_handlers.urlencode
    monkeypatch.setattr(
        oauth_handlers, "urlencode", lambda query: real({k: v for k, v in query.items() if k != "state"})
    )


def _code_exchange_without_refresh_token(monkeypatch):
    monkeypatch.setattr(
        oauth,
        "_user_tokens",
        lambda sandbox, users, client, user_id: oauth._token(sandbox, oauth._user_caller(users, client, user_id)),
    )


def _refresh_tokens_looked_up_as_access_tokens(monkeypatch):
    monkeypatch.setattr(oauth_handlers, "REFRESH_TOKENS", oauth.NAME)


def _client_secret_unchecked(monkeypatch):
    real = oauth.client_of

    def client_of(clients, client_id, client_secret):
        client = clients.get(client_id or "")
        return real(clients, client_id, client.client_secret if client else client_secret)

    monkeypatch.setattr(oauth, "client_of", client_of)


def _missing_token_answered_403(monkeypatch):
    answer_errors_with(monkeypatch, (Unauthenticated, Unauthenticated.MISSING), 403, "Forbidden")


def _unknown_token_answered_403(monkeypatch):
    answer_errors_with(monkeypatch, (Unauthenticated, Unauthenticated.INVALID), 403, "Forbidden")


def _wrong_role_answered_401(monkeypatch):
    answer_errors_with(monkeypatch, Forbidden, 401, "Unauthorized")


def _user_tokens_with_the_client_role(monkeypatch):
    real = oauth._user_caller

    def user_caller(users, client, user_id):
        caller = real(users, client, user_id)
        return Caller(caller.client_id, caller.roles | {CLIENT_APPLICATION}, caller.user_id)

    monkeypatch.setattr(oauth, "_user_caller", user_caller)


def _login_page_as_text(monkeypatch):
    rewrite_answers(monkeypatch, "GET", "/oauth/auth", lambda start: with_header(start, "Content-Type", "text/plain"))


def _methods_let_through(monkeypatch, method: str, answer):
    """`method` escapes the declared-methods check: `answer` (or, if None, the router) answers it."""
    real = DeclaredMethodsOnly.__call__

    async def call(self, scope, receive, send):
        if scope.get("method") != method:
            return await real(self, scope, receive, send)
        if answer is None:
            return await self.app(scope, receive, send)
        return await answer(scope, receive, send)

    monkeypatch.setattr(DeclaredMethodsOnly, "__call__", call)


def _head_answered_as_get(monkeypatch):
    _methods_let_through(monkeypatch, "HEAD", None)


def _options_answered_as_a_preflight(monkeypatch):
    async def preflight(scope, receive, send):
        headers = [(b"allow", b"GET, PUT, PATCH, DELETE"), (b"content-length", b"0")]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    _methods_let_through(monkeypatch, "OPTIONS", preflight)


def _too_many_requests_without_retry_after(monkeypatch):
    real = rendering.common_headers
    monkeypatch.setattr(
        rendering, "common_headers", lambda error: {k: v for k, v in real(error).items() if k != "Retry-After"}
    )


def _subscription_list_cached(monkeypatch):
    """A server-side cache of the subscription list that neither a subscribe nor a delete clears."""
    real, kept = subscriptions.search_all, {}

    def search_all(webhooks, tenant, query):
        if tenant not in kept:
            kept[tenant] = real(webhooks, tenant, query)
        return kept[tenant]

    monkeypatch.setattr(subscriptions, "search_all", search_all)


def _delivery_names_the_car(monkeypatch):
    real = booking_rules.announcement
    monkeypatch.setattr(
        booking_rules, "announcement", lambda event, booking, car: {**real(event, booking, car), "Id": car.id}
    )


PLANTED = (
    bug("HOURFLEET-AUTH-01", "a refresh_token on a client-credentials token", _client_tokens_refreshable),
    bug("HOURFLEET-AUTH-02", "the state left out of the login's redirect", _state_dropped),
    bug("HOURFLEET-AUTH-03", "a code exchanged without a refresh_token", _code_exchange_without_refresh_token),
    bug(
        "HOURFLEET-AUTH-04",
        "refresh tokens looked up among the access tokens",
        _refresh_tokens_looked_up_as_access_tokens,
    ),
    bug("HOURFLEET-AUTH-05", "the client_secret never checked", _client_secret_unchecked),
    bug("HOURFLEET-AUTH-06", "a request without a token answered 403", _missing_token_answered_403),
    bug("HOURFLEET-AUTH-07", "a token never issued answered 403", _unknown_token_answered_403),
    bug("HOURFLEET-AUTH-08", "a token without the operation's role answered 401", _wrong_role_answered_401),
    bug("HOURFLEET-AUTH-09", "user tokens given their client application's role", _user_tokens_with_the_client_role),
    bug("HOURFLEET-AUTH-10", "the login page served as text/plain", _login_page_as_text),
    bug("HOURFLEET-LIMIT-01", "HEAD answered as a GET", _head_answered_as_get),
    bug("HOURFLEET-LIMIT-02", "OPTIONS answered as a CORS preflight (204)", _options_answered_as_a_preflight),
    bug("HOURFLEET-LIMIT-03", "a 429 without Retry-After", _too_many_requests_without_retry_after),
    bug("HOURFLEET-HOOK-01", "a subscription list cached past a DELETE", _subscription_list_cached),
    bug("HOURFLEET-HOOK-02", "a booking's delivery naming the car's Id", _delivery_names_the_car),
)
