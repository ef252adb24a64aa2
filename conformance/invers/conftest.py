"""Fixtures of the invers rules: the profile, tokens, and the fleets rules act as.

`owner` is the first fleet of the credentials that has a sharing partner among them, `partner` that
partner, and `outsider` a fleet of the credentials that is not the owner's partner (`GET
/sharing-partners` tells which are partners). A rule that needs one the credentials lack is reported
"not checked". `sandbox` (the plugin's) is the control plane of a fleetbox sandbox, for rules about its
clock, quotas and events; against other servers those rules are not checked either.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ..apart import contract_layer_apart  # noqa: F401 - autouse: the contract layer beside the rules
from ..control import ControlPlane
from ..http import ExchangeLog, quiet_client
from ..target import ConformanceProfile, Target
from . import PROFILE
from .steps import Bearer, Fleet, ServerClock, Tokens


@pytest.fixture(scope="session")
def profile() -> ConformanceProfile:
    """The profile the plugin's shared fixtures (`target`, `control`, `sandbox`, `anonymous`) serve here."""
    return PROFILE


@pytest.fixture(scope="session")
def clients(target: Target) -> list[dict]:
    return target.credentials


@pytest.fixture(scope="session")
def tokens(target: Target, control: ControlPlane | None) -> Iterator[Tokens]:
    """Tokens per API client, fetched once per run and not logged as evidence."""
    book = Tokens(target.base_url)
    if control is not None:
        # Tokens expire on the sandbox's clock, which rules move.
        control.on_advance(book.advanced)
    yield book
    book.close()


@pytest.fixture(scope="session")
def partners_of(target: Target, clients: list[dict], tokens: Tokens) -> dict[str, set[str]]:
    """Each fleet of the credentials, and which of the others are its sharing partners."""
    known = {client["fleet_id"] for client in clients}
    found = {}
    with quiet_client(target.base_url) as http:
        for client in clients:
            response = http.get("/sharing-partners", headers={"Authorization": f"Bearer {tokens.get(client)}"})
            items = response.json().get("items", []) if response.status_code == 200 else []
            found[client["fleet_id"]] = {item.get("fleet_id") for item in items} & known
    return found


def _credential_of(clients: list[dict], fleet_id: str) -> dict:
    return next(client for client in clients if client["fleet_id"] == fleet_id)


@pytest.fixture(scope="session")
def roles(clients: list[dict], partners_of: dict[str, set[str]]) -> dict[str, dict | None]:
    """The owner, its partner and an outsider among the credentials (None where there is none)."""
    owner = next((client for client in clients if partners_of[client["fleet_id"]]), None)
    if owner is None:
        return {"owner": None, "partner": None, "outsider": None}
    partner_id = sorted(partners_of[owner["fleet_id"]])[0]
    outsider = next(
        (
            c
            for c in clients
            if c["fleet_id"] != owner["fleet_id"] and c["fleet_id"] not in partners_of[owner["fleet_id"]]
        ),
        None,
    )
    return {"owner": owner, "partner": _credential_of(clients, partner_id), "outsider": outsider}


@pytest.fixture
def act_as(target: Target, tokens: Tokens, exchanges: ExchangeLog) -> Iterator:
    """A factory of Fleets acting with a client's credentials; what they change is put back at the end."""
    made: list[Fleet] = []

    def make(credential: dict) -> Fleet:
        fleet = Fleet(
            credential=credential,
            http=exchanges.client(target.base_url, auth=Bearer(tokens, credential)),
            cleaner=quiet_client(target.base_url, auth=Bearer(tokens, credential)),
        )
        made.append(fleet)
        return fleet

    yield make
    # Partners give nothing back; owners end their sharings, then restore what they changed.
    for fleet in reversed(made):
        fleet.clean_up()


def _role(roles: dict, name: str, why: str) -> dict:
    if roles[name] is None:
        pytest.skip(f"not checked: the credentials have no {why}")
    return roles[name]


@pytest.fixture
def owner(roles, act_as) -> Fleet:
    """The fleet that shares vehicles in the rules."""
    return act_as(_role(roles, "owner", "two fleets that are sharing partners of each other"))


@pytest.fixture
def partner(roles, act_as, owner) -> Fleet:
    return act_as(_role(roles, "partner", "two fleets that are sharing partners of each other"))


@pytest.fixture
def outsider(roles, act_as, owner) -> Fleet:
    """A fleet that is not the owner's sharing partner."""
    return act_as(_role(roles, "outsider", "fleet that is not a sharing partner of the owner"))


@pytest.fixture
def any_fleet(clients, act_as) -> Fleet:
    """The first fleet of the credentials, for rules that need no partner."""
    return act_as(clients[0])


@pytest.fixture
def clock(control: ControlPlane | None, any_fleet: Fleet) -> ServerClock:
    return ServerClock(control, lambda: any_fleet.cleaner.get("/sharing-partners"))


@pytest.fixture(scope="session")
def contract_headers(clients, roles, tokens) -> dict[str, str]:
    """The headers Schemathesis sends: a fleet with a sharing partner, where there is one, lets sharing
    requests succeed."""
    client = roles["owner"] or clients[0]
    return {"Authorization": f"Bearer {tokens.get(client)}"}
