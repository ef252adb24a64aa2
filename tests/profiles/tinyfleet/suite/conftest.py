"""Fixtures of the tinyfleet rules: the profile (the plugin's shared fixtures serve it), a token, a client."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from conformance.http import ExchangeLog, quiet_client
from conformance.target import ConformanceProfile, Target

from . import PROFILE


@pytest.fixture(scope="session")
def profile() -> ConformanceProfile:
    return PROFILE


@pytest.fixture(scope="session")
def token(target: Target) -> str:
    with quiet_client(target.base_url) as client:
        return client.post("/token", json={"apiKey": target.credentials["apiKey"]}).json()["token"]


@pytest.fixture(scope="session")
def contract_headers(token: str) -> dict[str, str]:
    """Schemathesis acts with the credentials' token."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def fleet(target: Target, token: str, exchanges: ExchangeLog) -> Iterator[httpx.Client]:
    """A client acting with the credentials' token."""
    with exchanges.client(target.base_url, {"Authorization": f"Bearer {token}"}) as client:
        yield client
