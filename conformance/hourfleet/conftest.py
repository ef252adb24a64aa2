"""Fixtures of the hourfleet rules: the profile, tokens, and the callers rules act as.

`owner` and `borrower` are the first two users of role `user` in the credentials (the owner creates
the rule's cars, the borrower books them); `third` a third such user; `ops` the first operator;
`app` the first client application. A rule whose caller the credentials lack is "not checked".
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from .. import expect
from ..apart import contract_layer_apart  # noqa: F401 - autouse: the contract layer beside the rules
from ..http import ExchangeLog, quiet_client
from ..target import ConformanceProfile, Target
from . import PROFILE, login_form
from .steps import Party


@pytest.fixture(scope="session")
def profile() -> ConformanceProfile:
    """The profile the plugin's shared fixtures (`target`, `control`, `sandbox`, `anonymous`) serve here."""
    return PROFILE


@pytest.fixture(scope="session")
def credentials(target: Target) -> dict:
    return target.credentials


@pytest.fixture(scope="session")
def client_app(credentials) -> dict:
    return credentials["client_applications"][0]


def users_of(credentials: dict, role: str) -> list[dict]:
    return [user for user in credentials["users"] if user["role"] == role]


def sign_in(client: httpx.Client, app: dict, user: dict) -> dict:
    """The authorization-code grant without a browser: log in, take the code, exchange it."""
    redirected = client.post("/oauth/auth", data=login_form(app, user, state="fleetbox"))
    # The user signed in when the run began (target.py); an API that answers otherwise fails the rules
    # that need the user's token, with this as their evidence.
    expect.status(redirected, 302)
    code = httpx.URL(redirected.headers.get("location", "")).params.get("code", "")
    expect.true(code, f"the sign-in of {user['username']} redirects with a code")
    answer = client.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": app["redirect_uri"],
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        },
    )
    body = expect.json_of(answer)
    return body if isinstance(body, dict) else {}


@pytest.fixture(scope="session")
def tokens(target: Target, client_app) -> Iterator:
    """Access tokens by user (None for the client application), fetched once per run, not logged as evidence."""
    cache: dict[str | None, str] = {}
    client = quiet_client(target.base_url)

    def token_for(user: dict | None) -> str:
        key = user["username"] if user else None
        if key not in cache:
            if user is None:
                answer = expect.json_of(
                    client.post(
                        "/oauth/token",
                        data={
                            "grant_type": "client_credentials",
                            "client_id": client_app["client_id"],
                            "client_secret": client_app["client_secret"],
                        },
                    )
                )
            else:
                answer = sign_in(client, client_app, user)
            cache[key] = answer.get("access_token", "") if isinstance(answer, dict) else ""
        return cache[key]

    yield token_for
    client.close()


@pytest.fixture
def act_as(target, tokens, exchanges: ExchangeLog, run_id) -> Iterator:
    """A factory of Parties acting with a user's token (or the client application's); their data is
    removed at the end."""
    made: list[Party] = []

    def make(user: dict | None) -> Party:
        headers = {"Authorization": f"Bearer {tokens(user)}"}
        party = Party(
            http=exchanges.client(target.base_url, headers),
            cleaner=quiet_client(target.base_url, headers),
            run_id=run_id,
        )
        made.append(party)
        return party

    yield make
    for party in reversed(made):
        party.clean_up()


def _user(credentials: dict, role: str, index: int) -> dict:
    users = users_of(credentials, role)
    if len(users) <= index:
        pytest.skip(f"not checked: the credentials have fewer than {index + 1} users of role {role}")
    return users[index]


@pytest.fixture
def owner(credentials, act_as) -> Party:
    return act_as(_user(credentials, "user", 0))


@pytest.fixture
def borrower(credentials, act_as) -> Party:
    return act_as(_user(credentials, "user", 1))


@pytest.fixture
def third(credentials, act_as) -> Party:
    return act_as(_user(credentials, "user", 2))


@pytest.fixture
def ops(credentials, act_as) -> Party:
    return act_as(_user(credentials, "ops", 0))


@pytest.fixture
def app(act_as) -> Party:
    return act_as(None)


@pytest.fixture
def car(owner) -> dict:
    return owner.new_car()


@pytest.fixture
def booking(borrower, car) -> dict:
    return borrower.book(car)


@pytest.fixture(scope="session")
def contract_headers(credentials, tokens) -> dict[str, str]:
    """The headers Schemathesis sends: an operator where there is one, a user who may also manage the car
    share, reaches most successes."""
    caller = (users_of(credentials, "ops") or users_of(credentials, "user") or [None])[0]
    return {"Authorization": f"Bearer {tokens(caller)}"}
