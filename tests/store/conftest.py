"""Fixtures of the store's tests: a real redis-server per test, the two durable stores side by side, and
fleetbox processes over them (stopped by process id, whatever the test did)."""

from __future__ import annotations

import pytest

from .servers import FleetboxProcess, RedisServer


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "redis"])
def store_url(request, tmp_path):
    """A durable store of each kind: an SQLite file, or a database of the test's own redis-server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return request.getfixturevalue("redis_server").url


@pytest.fixture
def fleetbox(tmp_path):
    """A factory of `fleetbox serve` processes, all stopped after the test."""
    started: list[FleetboxProcess] = []

    def start(store: str, *options: str, port: int | None = None) -> FleetboxProcess:
        started.append(FleetboxProcess(store, tmp_path, *options, port=port).start())
        return started[-1]

    yield start
    for process in started:
        process.stop()
