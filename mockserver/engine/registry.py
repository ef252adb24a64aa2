"""SandboxRegistry: creates, finds, resets, exports and deletes the sandboxes of one server."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Mapping
from typing import Protocol

from .clock import VirtualClock
from .errors import Conflict, NotFound, Unauthenticated, Unprocessable
from .faults import Fault
from .ratelimit import RateLimit
from .sandbox import Sandbox, World, WorldFactory
from .tokens import Grant, TokenBook
from .webhooks import Dispatcher, Formatter, host_allowed

DEFAULT_SANDBOX = "default"
DEFAULT_SEED = 1
DEFAULT_SIZE = 25
MAX_SANDBOXES = 256
STATE_FORMAT = "fleetbox.state/1"


class SandboxObserver(Protocol):
    """Told of every sandbox's life (a message broker's publisher sets up and cleans up its queues)."""

    def created(self, sandbox: Sandbox) -> None: ...

    def replaced(self, sandbox: Sandbox) -> None:
        """The sandbox's worlds started over (reset or import)."""

    def deleted(self, sandbox: Sandbox) -> None: ...


class SandboxRegistry:
    """All sandboxes of a server, and the indexes that map tokens and keys back to them."""

    def __init__(
        self,
        worlds: Mapping[str, WorldFactory],
        max_sandboxes: int = MAX_SANDBOXES,
        rate_limits: Mapping[str, RateLimit] | None = None,
        webhook_formatters: Mapping[str, Formatter] | None = None,
        dispatcher: Dispatcher | None = None,
        webhook_hosts: frozenset[str] = frozenset(),
    ) -> None:
        self._factories = dict(worlds)
        self._rate_limits = dict(rate_limits or {})
        self._formatters = dict(webhook_formatters or {})
        self._dispatcher = dispatcher or Dispatcher()
        self._webhook_hosts = webhook_hosts
        self._max = max_sandboxes
        self._sandboxes: dict[str, Sandbox] = {}
        self._keys: dict[tuple[str, str], str] = {}
        self._lock = threading.RLock()
        self.tokens = TokenBook()
        self._observers: list[SandboxObserver] = []

    def observe(self, observer: SandboxObserver) -> None:
        """Tell `observer` of the sandboxes there are now, and of every creation, reset and deletion after."""
        with self._lock:
            self._observers.append(observer)
            for sandbox in self._sandboxes.values():
                observer.created(sandbox)

    @property
    def profiles(self) -> tuple[str, ...]:
        return tuple(self._factories)

    # --- lifecycle -------------------------------------------------------------------------

    def create(
        self,
        sandbox_id: str | None = None,
        seed: int = DEFAULT_SEED,
        size: int = DEFAULT_SIZE,
    ) -> Sandbox:
        """A new sandbox with a world generated from `seed` and `size`."""
        with self._lock:
            if sandbox_id is None:
                sandbox_id = self._fresh_id()
            if sandbox_id in self._sandboxes:
                raise Conflict(f"A sandbox with id '{sandbox_id}' already exists.")
            if len(self._sandboxes) >= self._max:
                raise Conflict(f"This server holds its maximum of {self._max} sandboxes; delete one first.")
            sandbox = Sandbox(
                sandbox_id,
                seed,
                size,
                self.tokens,
                self._rate_limits,
                self._dispatcher,
                self._formatters,
                self._webhook_hosts,
            )
            self._install_worlds(sandbox, self._generate(seed, size, sandbox))
            self._sandboxes[sandbox_id] = sandbox
            for observer in self._observers:
                observer.created(sandbox)
            return sandbox

    def get(self, sandbox_id: str) -> Sandbox:
        sandbox = self._sandboxes.get(sandbox_id)
        if sandbox is None:
            raise NotFound(f"No sandbox with id '{sandbox_id}'.")
        return sandbox

    def all(self) -> list[Sandbox]:
        return list(self._sandboxes.values())

    def delete(self, sandbox_id: str) -> None:
        if sandbox_id == DEFAULT_SANDBOX:
            raise Conflict("The default sandbox cannot be deleted; reset it instead.")
        with self._lock:
            sandbox = self.get(sandbox_id)
            del self._sandboxes[sandbox_id]
            self._unindex(sandbox_id)
            self.tokens.revoke_sandbox(sandbox.id)
            for observer in self._observers:
                observer.deleted(sandbox)

    def reset(self, sandbox_id: str, seed: int | None = None, size: int | None = None) -> Sandbox:
        """Rebuild the world (from new `seed`/`size` if given); clock, journal and tokens start over."""
        sandbox = self.get(sandbox_id)
        seed = sandbox.seed if seed is None else seed
        size = sandbox.size if size is None else size
        worlds = self._generate(seed, size, sandbox)
        with self._lock, sandbox.lock:
            sandbox.seed, sandbox.size = seed, size
            sandbox.clock.restore(VirtualClock())
            self._replace(sandbox, worlds)
        return sandbox

    # --- state documents ---------------------------------------------------------------------

    def export_state(self, sandbox_id: str) -> dict:
        sandbox = self.get(sandbox_id)
        with sandbox.lock:
            return {
                "format": STATE_FORMAT,
                "seed": sandbox.seed,
                "size": sandbox.size,
                "clock": sandbox.clock.snapshot(),
                "rateLimits": {name: limit.to_dict() for name, limit in sandbox.rate_limits.limits().items()},
                "faults": [fault.to_dict() for fault in sandbox.faults.all()],
                "webhooks": [
                    {k: v for k, v in s.to_dict().items() if k != "createdAt"} for s in sandbox.webhooks.subscriptions()
                ],
                "profiles": {name: world.export() for name, world in sandbox.worlds.items()},
            }

    def import_state(self, sandbox_id: str, document: dict) -> Sandbox:
        """Replace a sandbox's state with an exported one; all or nothing."""
        sandbox = self.get(sandbox_id)
        try:
            clock = VirtualClock.from_snapshot(document["clock"])
        except (ValueError, OverflowError) as error:
            raise Unprocessable(f"The state's clock is unusable: {error}.") from error
        missing = set(self._factories) - set(document["profiles"])
        if missing:
            raise Unprocessable(f"The state has no data for the profile(s) {', '.join(sorted(missing))}.")
        for hook in document.get("webhooks", []):
            if not host_allowed(hook["url"], self._webhook_hosts):
                raise Unprocessable(f"Webhook {hook['id']} calls a host this server may not call: {hook['url']!r}")
        # Load every world before touching the sandbox, so a bad document changes nothing.
        worlds = {name: factory.load(document["profiles"][name], sandbox) for name, factory in self._factories.items()}
        with self._lock, sandbox.lock:
            sandbox.seed, sandbox.size = document["seed"], document["size"]
            sandbox.clock.restore(clock)
            self._replace(sandbox, worlds)
            if "rateLimits" in document:
                for name in set(self._factories) | set(document["rateLimits"]):
                    limit = document["rateLimits"].get(name)
                    sandbox.rate_limits.configure(
                        name, RateLimit(limit["limit"], limit["windowSeconds"]) if limit else None
                    )
            if "faults" in document:
                sandbox.faults.clear()
                for fault in document["faults"]:
                    sandbox.faults.add(Fault.from_dict(fault))
            for hook in document.get("webhooks", []):
                sandbox.webhooks.subscribe(
                    hook["audience"], hook["url"], tuple(hook.get("events", ())), hook.get("name", ""), hook["id"]
                )
        return sandbox

    # --- credentials and tokens --------------------------------------------------------------

    def find_by_key(self, profile: str, key: str) -> Sandbox | None:
        """The sandbox whose `profile` credentials include `key` (an API key, a client id)."""
        sandbox_id = self._keys.get((profile, key))
        return self._sandboxes.get(sandbox_id) if sandbox_id else None

    def lookup_token(self, token: str, profile: str) -> tuple[Sandbox, Grant]:
        """The sandbox and grant behind a bearer token of `profile`, expired or not.

        Raises `Unauthenticated` for a token this server did not issue for `profile`, or whose
        sandbox is gone; the caller checks expiry against the sandbox's clock.
        """
        grant = self.tokens.get(token)
        if grant is None or grant.profile != profile:
            raise Unauthenticated("The token is not known.", Unauthenticated.INVALID)
        sandbox = self._sandboxes.get(grant.sandbox_id)
        if sandbox is None:
            raise Unauthenticated("The token's sandbox no longer exists.", Unauthenticated.INVALID)
        return sandbox, grant

    # --- internals ---------------------------------------------------------------------------

    def _generate(self, seed: int, size: int, sandbox: Sandbox) -> dict[str, World]:
        return {name: factory.load(factory.generate(seed, size), sandbox) for name, factory in self._factories.items()}

    def _install_worlds(self, sandbox: Sandbox, worlds: dict[str, World]) -> None:
        sandbox.worlds = worlds
        for profile, world in worlds.items():
            for key in world.credential_keys():
                self._keys[(profile, key)] = sandbox.id

    def _replace(self, sandbox: Sandbox, worlds: dict[str, World]) -> None:
        """A new world: tokens, journal, events and webhook subscriptions all start over."""
        self._unindex(sandbox.id)
        self.tokens.revoke_sandbox(sandbox.id)
        sandbox.journal.clear()
        sandbox.events.clear()
        sandbox.webhooks.clear()
        self._install_worlds(sandbox, worlds)
        for observer in self._observers:
            observer.replaced(sandbox)

    def _unindex(self, sandbox_id: str) -> None:
        self._keys = {key: owner for key, owner in self._keys.items() if owner != sandbox_id}

    def _fresh_id(self) -> str:
        while True:
            candidate = f"sbx-{secrets.token_hex(4)}"
            if candidate not in self._sandboxes:
                return candidate
