"""The hourfleet profile of the suite: rules for Hourfleet's car-sharing APIs (ServiceStack conventions).

Rules live in the `test_*.py` modules (pytest collects them); `conftest.py` provides the callers they
act as (a car owner, a borrower, an operator, the client application), and `steps.py` the steps that
arrange data through the public API and remove it again.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from ..contract import contract_of
from ..target import ConformanceProfile, not_the_api

SCHEMATHESIS_CONFIG = Path(__file__).with_name("schemathesis.toml")
SPEC = "hourfleet.yaml"


def login_form(app: dict, user: dict, state: str | None = None) -> dict:
    """The form a user signs in with at POST /oauth/auth, for the authorization-code grant of `app`."""
    form = {
        "username": user["username"],
        "password": user["password"],
        "response_type": "code",
        "client_id": app["client_id"],
        "redirect_uri": app["redirect_uri"],
    }
    return form | ({"state": state} if state is not None else {})


def probe(client: httpx.Client) -> str | None:
    """A Hourfleet API answers POST /oauth/token (an unknown client should get a 401 ResponseStatus, but any
    answer that is not a 404 or an HTML page is judged by the rules)."""
    response = client.post(
        "/oauth/token", data={"grant_type": "client_credentials", "client_id": "fleetbox-probe", "client_secret": "x"}
    )
    return not_the_api(client, SPEC, response)


# The answers with which the vendor refuses a client or a user's password.
REFUSALS = (400, 401, 403)


def try_credentials(client: httpx.Client, credentials: dict) -> str | None:
    """No client application is refused a token, and no user is refused at sign-in through the first one
    (other wrong answers, such as a sign-in that does not redirect, are judged by the rules)."""
    for app in credentials["client_applications"]:
        response = client.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
            },
        )
        if response.status_code in REFUSALS:
            return (
                f"the client application {app['client_id']} was refused: POST /oauth/token answered "
                f"{response.status_code} {response.text[:100]}"
            )
    app = credentials["client_applications"][0]
    for user in credentials["users"]:
        response = client.post("/oauth/auth", data=login_form(app, user))
        if response.status_code in REFUSALS:
            return (
                f"the user {user['username']} was refused: POST /oauth/auth answered {response.status_code} "
                f"{response.text[:100]}"
            )
    return None


PROFILE = ConformanceProfile(
    contract=contract_of(SPEC),
    probe=probe,
    try_credentials=try_credentials,
    harmless=("issueToken", "authorize"),
    areas=(
        "Authentication",
        "Envelopes and errors",
        "Status codes",
        "Input",
        "Searches",
        "Embedding",
        "Caching",
        "Formats",
        "Methods and limits",
        "Bookings",
        "Webhooks",
        "Contract",
    ),
)
