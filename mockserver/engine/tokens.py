"""TokenBook: the server-wide index of issued bearer tokens, each bound to the sandbox that issued it."""

from __future__ import annotations

import threading
from collections import deque
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


# The most tokens one sandbox keeps; issuing one more forgets its oldest. Bounds memory when a client
# (or a fuzzer) authenticates for every request.
MAX_TOKENS_PER_SANDBOX = 10_000


class TokenBook:
    """Maps token strings to grants, so a request's token alone says which sandbox it belongs to."""

    def __init__(self, max_per_sandbox: int = MAX_TOKENS_PER_SANDBOX) -> None:
        self._grants: dict[str, Grant] = {}
        self._by_sandbox: dict[str, deque[str]] = {}
        self._max = max_per_sandbox
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._grants)

    def add(self, grant: Grant) -> Grant:
        with self._lock:
            self._grants[grant.token] = grant
            issued = self._by_sandbox.setdefault(grant.sandbox_id, deque())
            issued.append(grant.token)
            while len(issued) > self._max:
                self._grants.pop(issued.popleft(), None)
        return grant

    def get(self, token: str) -> Grant | None:
        return self._grants.get(token)

    def of_sandbox(self, sandbox_id: str) -> list[Grant]:
        """The live grants of one sandbox, oldest first."""
        with self._lock:
            return [self._grants[t] for t in self._by_sandbox.get(sandbox_id, ()) if t in self._grants]

    def revoke_sandbox(self, sandbox_id: str) -> None:
        """Forget every token of one sandbox (it was reset, replaced or deleted)."""
        with self._lock:
            for token in self._by_sandbox.pop(sandbox_id, ()):
                self._grants.pop(token, None)
