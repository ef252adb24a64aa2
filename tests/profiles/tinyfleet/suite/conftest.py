"""Fixtures of the tinyfleet rules: the target, a token for its key, and clients that log each exchange."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from conformance.http import ExchangeLog
from conformance.plugin import open_target
from conformance.target import Target

from . import PROFILE


@pytest.fixture(scope="session")
def tinyfleet_target(pytestconfig: pytest.Config) -> Iterator[Target]:
    target = open_target(pytestconfig, PROFILE)
    yield target
    target.close()


@pytest.fixture(scope="session")
def token(tinyfleet_target: Target) -> str:
    response = httpx.post(f"{tinyfleet_target.base_url}/token", json={"apiKey": tinyfleet_target.credentials["apiKey"]}, timeout=30)
    return response.json()["token"]


@pytest.fixture
def fleet(tinyfleet_target: Target, token: str, exchanges: ExchangeLog) -> Iterator[httpx.Client]:
    """A client acting with the credentials' token."""
    with exchanges.client(tinyfleet_target.base_url, {"Authorization": f"Bearer {token}"}) as client:
        yield client


@pytest.fixture
def anonymous(tinyfleet_target: Target, exchanges: ExchangeLog) -> Iterator[httpx.Client]:
    with exchanges.client(tinyfleet_target.base_url) as client:
        yield client
