"""64 clients writing to one sandbox of one server at once lose nothing and corrupt nothing (tests/writers.py)."""

from __future__ import annotations

from .support import TRIMBLE_BASE
from .writers import assert_nothing_lost, race


def test_sixty_four_concurrent_writers_lose_nothing(sandbox):
    client = sandbox.trimble("direct")
    token = client.http.headers["Authorization"].split()[1]
    before = client.get("/vehicles").json()["size"]
    results = race([sandbox.server_url + TRIMBLE_BASE], token)
    journal = sandbox.control.get(f"/sandboxes/{sandbox.id}/journal").json()["entries"]
    assert_nothing_lost(client, before, results, journal)
