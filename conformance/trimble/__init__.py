"""The trimble profile of the suite: rules for Trimble Maps' fleet configuration API (assets v1).

Rules live in the `test_*.py` modules (pytest collects them); `conftest.py` provides the accounts
they act as, and `steps.py` the steps that arrange data through the public API and remove it again.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from ..contract import contract_of
from ..target import ConformanceProfile

SCHEMATHESIS_CONFIG = Path(__file__).with_name("schemathesis.toml")


def probe(client: httpx.Client) -> str | None:
    """A Trimble API answers an unknown key with a JSON 4xx on POST /accounts/authenticate."""
    response = client.post("/accounts/authenticate", json={"apiKey": "fleetbox-probe-not-a-key"})
    kind = response.headers.get("content-type", "").split(";")[0]
    if response.status_code in (404, 405) or not 400 <= response.status_code < 500 or "json" not in kind:
        return f"POST /accounts/authenticate answered {response.status_code} ({kind or 'no content type'})"
    return None


def try_credentials(client: httpx.Client, accounts: list[dict]) -> str | None:
    """Every key authenticates, and every customer listed for a partner is reachable with its key."""
    for account in accounts:
        customers = [None] + [c["accountId"] for c in account.get("customerAccounts", [])]
        for customer in customers:
            body = {"apiKey": account["apiKey"]} | ({"accountId": customer} if customer is not None else {})
            response = client.post("/accounts/authenticate", json=body)
            if response.status_code != 200:
                who = f"account {account.get('accountId', '?')}" + (
                    f" acting for customer {customer}" if customer else ""
                )
                return (
                    f"the credentials of {who} were refused: POST /accounts/authenticate answered "
                    f"{response.status_code} {response.text[:100]}"
                )
    return None


PROFILE = ConformanceProfile(
    contract=contract_of("trimble.yaml"),
    probe=probe,
    try_credentials=try_credentials,
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
