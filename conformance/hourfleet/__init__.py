"""The hourfleet profile of the suite: rules for Hourfleet's car-sharing APIs (ServiceStack conventions).

Rules live in the `test_*.py` modules (pytest collects them); `conftest.py` provides the callers they
act as (a car owner, a borrower, an operator, the client application), and `steps.py` the steps that
arrange data through the public API and remove it again.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from ..contract import contract_of
from ..target import ConformanceProfile

SCHEMATHESIS_CONFIG = Path(__file__).with_name("schemathesis.toml")


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
    """A Hourfleet API answers an unknown client with a 401 ResponseStatus on POST /oauth/token."""
    response = client.post(
        "/oauth/token", data={"grant_type": "client_credentials", "client_id": "fleetbox-probe", "client_secret": "x"}
    )
    try:
        body = response.json()
    except ValueError:
        body = None
    if not 400 <= response.status_code < 500 or not isinstance(body, dict) or "ResponseStatus" not in body:
        return f"POST /oauth/token answered {response.status_code} without a ResponseStatus"
    return None


def try_credentials(client: httpx.Client, credentials: dict) -> str | None:
    """Every client application gets a token, and every user signs in through the first one."""
    for app in credentials["client_applications"]:
        response = client.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
            },
        )
        if response.status_code != 200:
            return (
                f"the client application {app['client_id']} was refused: POST /oauth/token answered "
                f"{response.status_code} {response.text[:100]}"
            )
    app = credentials["client_applications"][0]
    for user in credentials["users"]:
        response = client.post("/oauth/auth", data=login_form(app, user))
        if response.status_code != 302:
            return (
                f"the user {user['username']} was refused: POST /oauth/auth answered {response.status_code} "
                f"{response.text[:100]}"
            )
    return None


PROFILE = ConformanceProfile(
    contract=contract_of("hourfleet.yaml"),
    probe=probe,
    try_credentials=try_credentials,
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
