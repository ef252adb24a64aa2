"""The README's promises about the default sandbox hold."""

from __future__ import annotations

from pathlib import Path

from mockserver.engine.registry import DEFAULT_SANDBOX, DEFAULT_SEED, DEFAULT_SIZE, SandboxRegistry
from mockserver.hourfleet import PROFILE as HOURFLEET
from mockserver.trimble import PROFILE as TRIMBLE

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_the_readme_lists_the_default_sandboxs_real_credentials():
    registry = SandboxRegistry({"trimble": TRIMBLE.worlds})
    default = registry.create(DEFAULT_SANDBOX, seed=DEFAULT_SEED, size=DEFAULT_SIZE)
    for account in default.world("trimble").credentials():
        assert account["apiKey"] in README
        assert str(account["accountId"]) in README
        for customer in account.get("customerAccounts", []):
            assert str(customer["accountId"]) in README


def test_the_readme_lists_the_default_sandboxs_hourfleet_credentials():
    registry = SandboxRegistry({"hourfleet": HOURFLEET.worlds})
    credentials = (
        registry.create(DEFAULT_SANDBOX, seed=DEFAULT_SEED, size=DEFAULT_SIZE).world("hourfleet").credentials()
    )
    app = credentials["client_applications"][0]
    assert app["client_id"] in README and app["client_secret"] in README and app["redirect_uri"] in README
    listed = [user for user in credentials["users"] if user["username"] in README]
    assert {user["role"] for user in listed} == {"ops", "user"}
    assert all(f"`{user['username']}` / `{user['password']}`" in README for user in listed)


def test_the_readme_opens_with_the_two_commands():
    opening = README[:1200]
    assert "make serve" in opening and "make test" in opening


def test_the_readme_lists_the_default_sandboxs_invers_clients():
    from mockserver.invers import PROFILE as INVERS

    registry = SandboxRegistry({"invers": INVERS.worlds})
    default = registry.create(DEFAULT_SANDBOX, seed=DEFAULT_SEED, size=DEFAULT_SIZE)
    for client in default.world("invers").credentials():
        assert (
            f"| {client['fleet_id']} | {client['name']} | `{client['client_id']}` | `{client['client_secret']}` |"
            in README
        )
