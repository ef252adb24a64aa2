"""SandboxRegistry: lifecycle, credential index, token lookup, atomic imports."""

from __future__ import annotations

import pytest

from mockserver.engine.errors import Conflict, NotFound, Unauthenticated, Unprocessable
from mockserver.engine.registry import SandboxRegistry
from mockserver.trimble import PROFILE as TRIMBLE


@pytest.fixture
def registry() -> SandboxRegistry:
    return SandboxRegistry({"trimble": TRIMBLE.worlds}, max_sandboxes=3)


def test_sandboxes_are_created_found_and_deleted(registry):
    sandbox = registry.create("one", seed=1, size=2)
    assert registry.get("one") is sandbox
    registry.delete("one")
    with pytest.raises(NotFound):
        registry.get("one")


def test_ids_are_unique_and_the_count_is_capped(registry):
    registry.create("one", size=1)
    with pytest.raises(Conflict):
        registry.create("one", size=1)
    registry.create(size=1), registry.create(size=1)
    with pytest.raises(Conflict, match="maximum of 3"):
        registry.create(size=1)


def test_keys_find_their_sandbox_until_it_is_deleted(registry):
    sandbox = registry.create("one", size=1)
    keys = sandbox.world("trimble").credential_keys()
    assert keys and all(registry.find_by_key("trimble", key) is sandbox for key in keys)
    registry.delete("one")
    assert registry.find_by_key("trimble", keys[0]) is None


def test_tokens_resolve_to_their_sandbox_and_profile_only(registry):
    sandbox = registry.create("one", size=1)
    key = sandbox.world("trimble").credential_keys()[0]
    token = sandbox.world("trimble").authenticate(key, None)["token"]
    assert registry.lookup_token(token, "trimble")[0] is sandbox
    with pytest.raises(Unauthenticated):
        registry.lookup_token(token, "invers")
    registry.reset("one")
    with pytest.raises(Unauthenticated):
        registry.lookup_token(token, "trimble")


def test_a_failed_import_changes_nothing(registry):
    sandbox = registry.create("one", size=2)
    saved = registry.export_state("one")
    broken = registry.export_state("one")
    broken["profiles"]["trimble"]["fleets"][0]["assignments"].append({"vehicleGroupId": 1, "vehicleId": "ghost"})
    with pytest.raises(Unprocessable):
        registry.import_state("one", broken)
    assert registry.export_state("one") == saved
    assert sandbox.world("trimble").credential_keys()[0] in [
        a["apiKey"] for a in sandbox.world("trimble").credentials()
    ]
