"""SandboxRegistry: creates, finds, resets, exports and deletes the sandboxes of one server, over its store."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Mapping
from typing import Protocol

from ..defaults import DEFAULT_SANDBOX, DEFAULT_SEED, DEFAULT_SIZE, MAX_SIZE
from .clock import VirtualClock, real_now
from .errors import Conflict, InvalidInput, NotFound, Unauthenticated, Unprocessable
from .faults import Fault
from .ratelimit import RateLimit
from .sandbox import Sandbox, SandboxGone, Services, World, WorldFactory
from .store import MemoryStore, Store
from .tokens import Grant, TokenBook
from .webhooks import Dispatcher, Formatter, host_allowed

MAX_SANDBOXES = 256
STATE_FORMAT = "fleetbox.state/1"


class SandboxObserver(Protocol):
    """Told of every sandbox this process serves (a message broker's publisher sets up and cleans up its
    queues)."""

    def created(self, sandbox: Sandbox) -> None:
        """The sandbox was created here, or loaded from the store to be served here."""

    def replaced(self, sandbox: Sandbox) -> None:
        """The sandbox's worlds started over (reset or import) here."""

    def deleted(self, sandbox: Sandbox) -> None: ...


class SandboxRegistry:
    """All sandboxes of a server. The store holds the truth; this process keeps each sandbox it has served
    in memory and brings it up to date before each use."""

    def __init__(
        self,
        worlds: Mapping[str, WorldFactory],
        max_sandboxes: int = MAX_SANDBOXES,
        max_size: int = MAX_SIZE,
        rate_limits: Mapping[str, RateLimit] | None = None,
        webhook_formatters: Mapping[str, Formatter] | None = None,
        dispatcher: Dispatcher | None = None,
        webhook_hosts: frozenset[str] = frozenset(),
        store: Store | None = None,
    ) -> None:
        self._factories = dict(worlds)
        self._max = max_sandboxes
        self._max_size = max_size
        self.tokens = TokenBook()
        self.store = store or MemoryStore()
        self._services = Services(
            self.tokens,
            self.store,
            dict(rate_limits or {}),
            dispatcher or Dispatcher(),
            dict(webhook_formatters or {}),
            webhook_hosts,
        )
        self._webhook_hosts = webhook_hosts
        self._sandboxes: dict[str, Sandbox] = {}
        self._keys: dict[tuple[str, str], str] = {}
        self._lock = threading.RLock()
        self._observers: list[SandboxObserver] = []

    def observe(self, observer: SandboxObserver) -> None:
        """Tell `observer` of the sandboxes served here now, and of every creation, load, reset and deletion after."""
        with self._lock:
            self._observers.append(observer)
            for sandbox in self._sandboxes.values():
                observer.created(sandbox)

    @property
    def profiles(self) -> tuple[str, ...]:
        return tuple(self._factories)

    # --- lifecycle -------------------------------------------------------------------------

    def create(self, sandbox_id: str | None = None, seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE) -> Sandbox:
        """A new sandbox with a world generated from `seed` and `size`."""
        self._check_size(size)
        with self._lock:
            sandbox_id = self._check_room(sandbox_id or self._fresh_id())
        sandbox = Sandbox(sandbox_id, _meta(seed, size), self._services)
        # Outside the registry's lock: a big world takes seconds to build, and other sandboxes load meanwhile.
        sandbox.worlds = self._generate(seed, size, sandbox)
        with self._lock:
            self._check_room(sandbox_id)  # again: the id or the last place may have gone while it was built
            head = self.store.create(sandbox_id, sandbox.meta, sandbox.snapshot, self._keys_of(sandbox))
            if head is None:
                raise Conflict(f"A sandbox with id '{sandbox_id}' already exists.")
            # The store's generation, so this copy is not taken for another life and reloaded on its next request.
            sandbox.head = head
            self._install(sandbox)
            self._tell("created", sandbox)
            return sandbox

    def _check_room(self, sandbox_id: str) -> str:
        """`sandbox_id`, if it is free and the server has room for one more sandbox; `Conflict` if not."""
        if sandbox_id in self._sandboxes or self.store.head(sandbox_id) is not None:
            raise Conflict(f"A sandbox with id '{sandbox_id}' already exists.")
        if len(self.store.ids()) >= self._max:
            raise Conflict(f"This server holds its maximum of {self._max} sandboxes; delete one first.")
        return sandbox_id

    def get(self, sandbox_id: str) -> Sandbox:
        """The sandbox, up to date with every write the store acknowledged; `NotFound` if there is none."""
        sandbox = self._sandboxes.get(sandbox_id)
        try:
            if sandbox is None:
                return self._load(sandbox_id)
            sandbox.sync()
            return sandbox
        except SandboxGone:
            self._forget(sandbox_id)
            raise NotFound(f"No sandbox with id '{sandbox_id}'.") from None

    def count(self) -> int:
        return len(self.store.ids()) if self.store.shared else len(self._sandboxes)

    def all(self) -> list[Sandbox]:
        found = []
        for sandbox_id in self.store.ids() if self.store.shared else list(self._sandboxes):
            try:
                found.append(self.get(sandbox_id))
            except NotFound:
                pass  # deleted while listing
        return found

    def delete(self, sandbox_id: str) -> None:
        if sandbox_id == DEFAULT_SANDBOX:
            raise Conflict("The default sandbox cannot be deleted; reset it instead.")
        with self._lock:
            sandbox = self.get(sandbox_id)
            self.store.delete(sandbox_id)
            self._forget(sandbox_id)
            self._tell("deleted", sandbox)

    def reset(self, sandbox_id: str, seed: int | None = None, size: int | None = None) -> Sandbox:
        """Rebuild the world (from new `seed`/`size` if given); clock, journal and tokens start over."""
        sandbox = self.get(sandbox_id)
        seed = sandbox.seed if seed is None else seed
        size = sandbox.size if size is None else size
        self._check_size(size)
        with self._lock, sandbox.lock:
            meta = {**_meta(seed, size), "createdAt": sandbox.meta["createdAt"], "accessKey": sandbox.meta["accessKey"]}
            sandbox.meta = meta
            worlds = self._generate(seed, size, sandbox)
            self._start_over(sandbox, worlds, VirtualClock())
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
        with self._lock, sandbox.lock:
            previous = sandbox.meta
            sandbox.meta = {**previous, "seed": document["seed"], "size": document["size"], "epoch": _epoch()}
            try:
                # Load every world before touching the sandbox, so a bad document changes nothing.
                worlds = {n: f.load(document["profiles"][n], sandbox) for n, f in self._factories.items()}
            except Exception:
                sandbox.meta = previous
                raise
            self._start_over(sandbox, worlds, clock, document)
        return sandbox

    # --- credentials and tokens --------------------------------------------------------------

    def find_by_key(self, profile: str, key: str) -> Sandbox | None:
        """The sandbox whose `profile` credentials include `key` (an API key, a client id)."""
        sandbox_id = self._keys.get((profile, key)) if not self.store.shared else self.store.key_owner(profile, key)
        if sandbox_id is None:
            return None
        try:
            return self.get(sandbox_id)
        except NotFound:
            return None

    def lookup_token(self, token: str, profile: str) -> tuple[Sandbox, Grant]:
        """The sandbox and grant behind a bearer token of `profile`, expired or not.

        Raises `Unauthenticated` for a token this server did not issue for `profile`, or whose
        sandbox is gone; the caller checks expiry against the sandbox's clock.
        """
        grant = self.tokens.get(token)
        owner = grant.sandbox_id if grant is not None else self.store.token_owner(token) if self.store.shared else None
        if owner is None:
            raise Unauthenticated("The token is not known.", Unauthenticated.INVALID)
        try:
            sandbox = self.get(owner)
        except NotFound:
            raise Unauthenticated("The token's sandbox no longer exists.", Unauthenticated.INVALID) from None
        grant = self.tokens.get(token)  # again: catching up may have issued or revoked it here
        if grant is None or grant.profile != profile:
            raise Unauthenticated("The token is not known.", Unauthenticated.INVALID)
        return sandbox, grant

    # --- internals ---------------------------------------------------------------------------

    def _check_size(self, size: int) -> None:
        if size > self._max_size:
            raise InvalidInput(
                f"This server builds worlds of at most {self._max_size} vehicles per account; "
                "start it with --max-size for bigger ones."
            )

    def _load(self, sandbox_id: str) -> Sandbox:
        if not self.store.shared:
            raise SandboxGone(sandbox_id)
        with self._lock:
            if sandbox_id in self._sandboxes:
                return self.get(sandbox_id)
            stored = self.store.load(sandbox_id)
            if stored is None:
                raise SandboxGone(sandbox_id)
            sandbox = Sandbox(sandbox_id, stored.meta, self._services)
            sandbox.reload()
            self._install(sandbox)
            self._tell("created", sandbox)
            return sandbox

    def _generate(self, seed: int, size: int, sandbox: Sandbox) -> dict[str, World]:
        return {name: factory.make(seed, size, sandbox) for name, factory in self._factories.items()}

    def _keys_of(self, sandbox: Sandbox) -> list[tuple[str, str]]:
        return [(profile, key) for profile, world in sandbox.worlds.items() for key in world.credential_keys()]

    def _install(self, sandbox: Sandbox) -> None:
        self._sandboxes[sandbox.id] = sandbox
        self._unindex(sandbox.id)
        for key in self._keys_of(sandbox):
            self._keys[key] = sandbox.id

    def _start_over(self, sandbox: Sandbox, worlds: dict[str, World], clock: VirtualClock, document=None) -> None:
        """A new world: tokens, journal, events and webhook subscriptions all start over."""
        self.tokens.revoke_sandbox(sandbox.id)
        sandbox.worlds = worlds
        sandbox.clock.restore(clock)
        sandbox.webhooks.clear()
        if document is not None:
            _configure_from(sandbox, document, set(self._factories))
        sandbox.head = self.store.replace(sandbox.id, sandbox.meta, sandbox.snapshot, self._keys_of(sandbox))
        sandbox.journal.clear()
        sandbox.events.clear()
        self._install(sandbox)
        self._tell("replaced", sandbox)

    def _tell(self, what: str, sandbox: Sandbox) -> None:
        for observer in self._observers:
            getattr(observer, what)(sandbox)

    def _forget(self, sandbox_id: str) -> None:
        with self._lock:
            self._sandboxes.pop(sandbox_id, None)
            self._unindex(sandbox_id)
            self.tokens.revoke_sandbox(sandbox_id)

    def _unindex(self, sandbox_id: str) -> None:
        self._keys = {key: owner for key, owner in self._keys.items() if owner != sandbox_id}

    def _fresh_id(self) -> str:
        while True:
            candidate = f"sbx-{secrets.token_hex(4)}"
            if candidate not in self._sandboxes and self.store.head(candidate) is None:
                return candidate


def _meta(seed: int, size: int) -> dict:
    return {
        "seed": seed,
        "size": size,
        "createdAt": real_now().isoformat(),
        "accessKey": "fbk_" + secrets.token_urlsafe(24),
        "epoch": _epoch(),
    }


def _epoch() -> str:
    return secrets.token_hex(4)


def _configure_from(sandbox: Sandbox, document: dict, profiles: set[str]) -> None:
    """An imported document's quotas, faults and webhook subscriptions (written straight into the new world)."""
    if "rateLimits" in document:
        for name in profiles | set(document["rateLimits"]):
            limit = document["rateLimits"].get(name)
            sandbox.rate_limits.configure(name, RateLimit(limit["limit"], limit["windowSeconds"]) if limit else None)
    if "faults" in document:
        sandbox.faults.clear()
        for fault in document["faults"]:
            sandbox.faults.add(Fault.from_dict(fault))
    for hook in document.get("webhooks", []):
        sandbox.webhooks.subscribe(
            hook["audience"], hook["url"], tuple(hook.get("events", ())), hook.get("name", ""), hook["id"]
        )
