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
from ..target import ConformanceProfile, not_the_api

SCHEMATHESIS_CONFIG = Path(__file__).with_name("schemathesis.toml")
SPEC = "invers.yaml"
TOKEN_PATH = "/auth/oauth/token"
GRANT = {"grant_type": "client_credentials"}


def probe(client: httpx.Client) -> str | None:
    """An INVERS API answers its token endpoint (unknown client credentials should get a JSON 401, but any
    answer that is not a 404 or an HTML page is judged by the rules)."""
    response = client.post(TOKEN_PATH, params=GRANT, auth=("fleetbox-probe-not-a-client", "x"))
    return not_the_api(client, SPEC, response)


# The answers with which the vendor refuses client credentials.
REFUSALS = (400, 401, 403)


def try_credentials(client: httpx.Client, clients: list[dict]) -> str | None:
    """No API client of the file is refused a token (other wrong answers are judged by the rules)."""
    for credential in clients:
        response = client.post(TOKEN_PATH, params=GRANT, auth=(credential["client_id"], credential["client_secret"]))
        if response.status_code in REFUSALS:
            return (
                f"the credentials of fleet {credential['fleet_id']} (client {credential['client_id']}) were refused: "
                f"POST {TOKEN_PATH} answered {response.status_code} {response.text[:100]}"
            )
    return None


PROFILE = ConformanceProfile(
    contract=contract_of(SPEC),
    probe=probe,
    try_credentials=try_credentials,
    harmless=("issueToken",),
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
