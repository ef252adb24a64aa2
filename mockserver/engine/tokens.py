"""TokenBook: the server-wide index of issued bearer tokens, each bound to the sandbox that issued it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Grant:
    """What a token stands for: who, in which sandbox and profile, until when (on that sandbox's clock)."""

    token: str
    sandbox_id: str
    profile: str
    subject: Any
    issued_at: datetime
    expires_at: datetime
    roles: frozenset[str] = field(default_factory=frozenset)
    # Who is calling, as one string: the client a rate limit counts against, the name journals show.
    principal: str = ""

    def expired_at(self, instant: datetime) -> bool:
        return instant >= self.expires_at


class TokenBook:
    """Maps token strings to grants, so a request's token alone says which sandbox it belongs to."""

    def __init__(self) -> None:
        self._grants: dict[str, Grant] = {}
        self._lock = threading.Lock()

    def add(self, grant: Grant) -> Grant:
        with self._lock:
            self._grants[grant.token] = grant
        return grant

    def __len__(self) -> int:
        return len(self._grants)

    def get(self, token: str) -> Grant | None:
        return self._grants.get(token)

    def revoke_sandbox(self, sandbox_id: str) -> None:
        """Forget every token of one sandbox (it was reset, replaced or deleted)."""
        with self._lock:
            self._grants = {
                token: grant for token, grant in self._grants.items() if grant.sandbox_id != sandbox_id
            }

    def purge_expired(self, now_of: dict[str, datetime]) -> None:
        """Drop grants already expired on their sandbox's clock; `now_of` maps sandbox id to its now."""
        with self._lock:
            self._grants = {
                token: grant
                for token, grant in self._grants.items()
                if grant.sandbox_id in now_of and not grant.expired_at(now_of[grant.sandbox_id])
            }
