"""POST /accounts/authenticate and GET /accounts."""

from __future__ import annotations

from mockserver.engine.errors import InvalidInput
from mockserver.http.context import attribute_current_request, current_registry

from ..world import INVALID_KEY, NAME
from . import session


def authenticate(body: dict) -> dict:
    # The key alone says which sandbox the client belongs to.
    sandbox = current_registry().find_by_key(NAME, body["apiKey"])
    if sandbox is None:
        raise InvalidInput(INVALID_KEY)
    attribute_current_request(sandbox)
    account_id = body.get("accountId")
    return sandbox.world(NAME).authenticate(body["apiKey"], None if account_id is None else int(account_id))


def list_accounts(token_info: dict) -> dict:
    world, caller = session(token_info)
    return world.customer_accounts(caller)
