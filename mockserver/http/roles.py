"""Operation roles: the spec's `x-fleetbox-roles` names the roles an operation admits, and a token whose
grant holds none of them is refused (403) before the handler runs."""

from __future__ import annotations

import functools
from collections.abc import Callable

from mockserver.engine.errors import Forbidden

ROLES = "x-fleetbox-roles"


def roles_by_operation(spec: dict) -> dict[str, frozenset[str]]:
    """Each operation's roles, for the operations that name any."""
    return {
        operation["operationId"]: frozenset(operation[ROLES])
        for item in spec.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, dict) and ROLES in operation
    }


def admitting(allowed: frozenset[str], handler: Callable) -> Callable:
    """`handler`, run only for a token whose grant holds one of the `allowed` roles."""

    @functools.wraps(handler)
    def checked(*args, token_info: dict, **kwargs):
        held = token_info["grant"].roles
        if not held & allowed:
            wanted, has = ", ".join(sorted(allowed)), ", ".join(sorted(held))
            raise Forbidden(f"This operation is for the role(s) {wanted}; the token has {has}.")
        return handler(*args, token_info=token_info, **kwargs)

    return checked
