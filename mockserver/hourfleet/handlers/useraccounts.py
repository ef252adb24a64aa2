"""/useraccounts: search, read and register user accounts."""

from __future__ import annotations

from . import cached, created, request_id, search_query, session


def search_user_accounts(
    token_info: dict, Embed: str | None = None, Sort=None, Filter=None, Limit=0, Offset=0, Distinct=None
):
    world, caller = session(token_info)
    # "cars": an account embeds the cars it owns, so a write to any car may change what it shows.
    return cached(
        world,
        caller,
        ("users", "cars"),
        lambda: world.search_users(caller, search_query(Sort, Filter, Limit, Offset, Distinct), Embed),
    )


def get_user_account(token_info: dict, Id: str, Embed: str | None = None):
    world, caller = session(token_info)
    return cached(world, caller, (f"user:{Id.lower()}", "cars"), lambda: world.get_user(caller, Id, Embed))


def create_user_account(token_info: dict, body: dict):
    world, _ = session(token_info)
    account = world.create_user(body, request_id())
    return created(account, f"/useraccounts/{account['UserAccount']['Id']}")
