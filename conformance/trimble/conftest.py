"""Fixtures of the trimble rules: the profile, tokens, and the accounts rules act as.

`fleet` is the account most rules use (a direct account if the credentials have one, else the
partner's own); `partner`, `customer` and `direct` are for the rules about those kinds of account,
and leave a rule "not checked" when the credentials lack that kind.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .. import expect
from ..apart import contract_layer_apart  # noqa: F401 - autouse: the contract layer beside the rules
from ..http import ExchangeLog, quiet_client
from ..target import ConformanceProfile, Target
from . import PROFILE
from .steps import Account


@pytest.fixture(scope="session")
def profile() -> ConformanceProfile:
    """The profile the plugin's shared fixtures (`target`, `control`, `sandbox`, `anonymous`) serve here."""
    return PROFILE


@pytest.fixture(scope="session")
def accounts(target: Target) -> list[dict]:
    return target.credentials


@pytest.fixture(scope="session")
def tokens(target: Target) -> Iterator[dict]:
    """Tokens by (apiKey, accountId), fetched once per run and not logged as evidence."""
    cache: dict[tuple[str, int | None], str] = {}
    client = quiet_client(target.base_url)

    def token_for(api_key: str, account_id: int | None = None) -> str:
        if (api_key, account_id) not in cache:
            sent = {"apiKey": api_key} | ({"accountId": account_id} if account_id is not None else {})
            response = client.post("/accounts/authenticate", json=sent)
            # The key worked when the run began (target.py); an API that now answers otherwise fails the
            # rules that need the token, with this as their evidence.
            expect.status(response, 200)
            body = expect.json_of(response)
            token = body.get("token") if isinstance(body, dict) else None
            expect.true(isinstance(token, str) and token, "POST /accounts/authenticate answers a token")
            cache[(api_key, account_id)] = token
        return cache[(api_key, account_id)]

    yield token_for
    client.close()


def _account(kind: str | None, accounts: list[dict]) -> dict:
    found = next((a for a in accounts if kind is None or a["type"] == kind), None)
    if found is None:
        pytest.skip(f"not checked: the credentials have no {kind} account")
    return found


@pytest.fixture
def act_as(target, tokens, exchanges: ExchangeLog, run_id) -> Iterator:
    """A factory of Accounts acting with a given key (and accountId); their data is removed at the end."""
    made: list[Account] = []

    def make(credential: dict, account_id: int | None = None) -> Account:
        headers = {"Authorization": f"bearer {tokens(credential['apiKey'], account_id)}"}
        account = Account(
            http=exchanges.client(target.base_url, headers),
            cleaner=quiet_client(target.base_url, headers),
            run_id=run_id,
            account_id=account_id or credential.get("accountId"),
        )
        made.append(account)
        return account

    yield make
    for account in made:
        account.clean_up()


@pytest.fixture
def fleet(accounts, act_as) -> Account:
    preferred = next((a for a in accounts if a["type"] == "direct"), None) or accounts[0]
    return act_as(preferred)


@pytest.fixture
def direct(accounts, act_as) -> Account:
    return act_as(_account("direct", accounts))


@pytest.fixture
def partner(accounts, act_as) -> Account:
    return act_as(_account("partner", accounts))


@pytest.fixture
def customer(accounts, act_as) -> Account:
    partner_credential = _account("partner", accounts)
    customers = partner_credential.get("customerAccounts") or []
    if not customers:
        pytest.skip("not checked: the partner account in the credentials lists no customer accounts")
    return act_as(partner_credential, customers[0]["accountId"])


@pytest.fixture(scope="session")
def contract_headers(accounts, tokens) -> dict[str, str]:
    """The headers Schemathesis sends: a partner token, where there is one, lets GET /accounts answer its
    success case."""
    account = next((a for a in accounts if a["type"] == "partner"), accounts[0])
    return {"Authorization": f"bearer {tokens(account['apiKey'])}"}
