"""tinyfleet's suite: the rules any implementation of tinyfleet.yaml must keep, judged over HTTP alone."""

from __future__ import annotations

from pathlib import Path

import httpx

from conformance.contract import contract_of
from conformance.target import ConformanceProfile

from .. import SPEC

SCHEMATHESIS_CONFIG = Path(__file__).with_name("schemathesis.toml")


def probe(client: httpx.Client) -> str | None:
    """A tinyfleet API answers an unknown key with a JSON 400 carrying an `error`."""
    response = client.post("/token", json={"apiKey": "fleetbox-probe-not-a-key"})
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != 400 or not isinstance(body, dict) or "error" not in body:
        return f"POST /token answered {response.status_code} without an error document"
    return None


def try_credentials(client: httpx.Client, credentials: dict) -> str | None:
    response = client.post("/token", json={"apiKey": credentials.get("apiKey", "")})
    return (
        None if response.status_code == 200 else f"the API key was refused: POST /token answered {response.status_code}"
    )


PROFILE = ConformanceProfile(
    contract=contract_of(SPEC),
    probe=probe,
    try_credentials=try_credentials,
    areas=("Authentication", "Vehicles", "Contract"),
)
