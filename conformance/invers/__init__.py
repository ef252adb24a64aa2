"""The invers profile of the suite: rules for INVERS OneAPI's Vehicle Management API with FleetShare.

Rules live in the `test_*.py` modules (pytest collects them); `conftest.py` provides the fleets they act
as (an owner, a sharing partner of it, and a fleet that is not its partner) and the sandbox's control
plane where there is one; `steps.py` the steps that arrange data through the public API and put
everything back (sharings ended, master data and lock states restored).
"""

from __future__ import annotations

from pathlib import Path

import httpx

from ..contract import contract_of
from ..target import ConformanceProfile

SCHEMATHESIS_CONFIG = Path(__file__).with_name("schemathesis.toml")
TOKEN_PATH = "/auth/oauth/token"
GRANT = {"grant_type": "client_credentials"}


def probe(client: httpx.Client) -> str | None:
    """An INVERS API answers unknown client credentials with a JSON 401 on its token endpoint."""
    response = client.post(TOKEN_PATH, params=GRANT, auth=("fleetbox-probe-not-a-client", "x"))
    kind = response.headers.get("content-type", "").split(";")[0]
    if response.status_code != 401 or "json" not in kind:
        return f"POST {TOKEN_PATH} answered {response.status_code} ({kind or 'no content type'})"
    return None


def try_credentials(client: httpx.Client, clients: list[dict]) -> str | None:
    """Every API client of the file gets a token."""
    for credential in clients:
        response = client.post(TOKEN_PATH, params=GRANT, auth=(credential["client_id"], credential["client_secret"]))
        if response.status_code != 200:
            return (
                f"the credentials of fleet {credential['fleet_id']} (client {credential['client_id']}) were refused: "
                f"POST {TOKEN_PATH} answered {response.status_code} {response.text[:100]}"
            )
    return None


PROFILE = ConformanceProfile(
    contract=contract_of("invers.yaml"),
    probe=probe,
    try_credentials=try_credentials,
    areas=(
        "Authentication",
        "Problems and headers",
        "Rate limits",
        "Vehicles",
        "Commands",
        "FleetShare: starting",
        "FleetShare: while shared",
        "FleetShare: ending",
        "Events",
        "Events over AMQP",
        "Contract",
    ),
)
