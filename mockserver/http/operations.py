"""ProfileResolver: each operation's handler, inside what the profile and its spec ask of every operation:
the roles the operation admits (`roles.py`), then the response format (`formats.py`)."""

from __future__ import annotations

from collections.abc import Callable

from .formats import answering_in, negotiated_operations
from .profile import Profile
from .resolver import HandlerResolver, find_handler
from .roles import admitting, roles_by_operation


class ProfileResolver(HandlerResolver):
    """A Connexion resolver over one profile's handler modules, wrapping each handler as its operation needs."""

    def __init__(self, profile: Profile, spec: dict) -> None:
        super().__init__(profile.handlers)
        roles = roles_by_operation(spec)
        negotiated = negotiated_operations(spec) if profile.formats != ("json",) else frozenset()

        def resolve(operation_id: str) -> Callable:
            handler = find_handler(operation_id, profile.handlers)
            if operation_id in negotiated:
                handler = answering_in(profile.formats, handler)
            # Outermost, so a caller without the role is refused before the format is looked at.
            if operation_id in roles:
                handler = admitting(roles[operation_id], handler)
            return handler

        self.function_resolver = resolve
