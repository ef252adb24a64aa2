"""The trimble profile of the suite: rules for Trimble Maps' fleet configuration API (assets v1).

Rules live in the `test_*.py` modules (pytest collects them); `conftest.py` provides the accounts
they act as, and `steps.py` the steps that arrange data through the public API and remove it again.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from ..contract import contract_of
from ..target import ConformanceProfile, not_the_api

SCHEMATHESIS_CONFIG = Path(__file__).with_name("schemathesis.toml")
SPEC = "trimble.yaml"


def probe(client: httpx.Client) -> str | None:
    """A Trimble API answers POST /accounts/authenticate (an unknown key should get a 400, but any answer
    that is not a 404 or an HTML page is judged by the rules)."""
    response = client.post("/accounts/authenticate", json={"apiKey": "fleetbox-probe-not-a-key"})
    return not_the_api(client, SPEC, response)


# The answers with which the vendor refuses a key or an accountId.
REFUSALS = (400, 401, 403)


def try_credentials(client: httpx.Client, accounts: list[dict]) -> str | None:
    """No key is refused, nor any customer listed for a partner (other wrong answers are judged by the rules)."""
    for account in accounts:
        customers = [None] + [c["accountId"] for c in account.get("customerAccounts", [])]
        for customer in customers:
            body = {"apiKey": account["apiKey"]} | ({"accountId": customer} if customer is not None else {})
            response = client.post("/accounts/authenticate", json=body)
            if response.status_code in REFUSALS:
                who = f"account {account.get('accountId', '?')}" + (
                    f" acting for customer {customer}" if customer else ""
                )
                return (
                    f"the credentials of {who} were refused: POST /accounts/authenticate answered "
                    f"{response.status_code} {response.text[:100]}"
                )
    return None


PROFILE = ConformanceProfile(
    contract=contract_of(SPEC),
    probe=probe,
    try_credentials=try_credentials,
    harmless=("authenticate",),
    areas=(
        "Authentication",
        "Vehicles: adding",
        "Vehicles: renaming and deleting",
        "Vehicle lists",
        "Vehicle groups",
        "Drivers",
        "Partner cloud",
        "Contract",
    ),
)
