"""Per-request bookkeeping shared by middleware and handlers: which sandbox a request belongs to, its id,
its grant and rate-limit decision."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .request import current

if TYPE_CHECKING:
    from mockserver.engine.ratelimit import RateDecision
    from mockserver.engine.registry import SandboxRegistry
    from mockserver.engine.sandbox import Sandbox
    from mockserver.engine.tokens import Grant
    from mockserver.http.profile import Profile

TRACE_KEY = "fleetbox.trace"
REGISTRY_KEY = "fleetbox.registry"
PROFILES_KEY = "fleetbox.profiles"
ROUTES_KEY = "fleetbox.routes"
# Start-up notes for the banner (a stored default sandbox that disagrees with --seed/--size).
NOTES_KEY = "fleetbox.notes"


@dataclass
class RequestTrace:
    """What is learnt about one vendor request while it is served (see http/envelope.py).

    `request_id` is unique per request (INVERS calls it the flow id); `grant` and `rate` are set when
    a bearer token is verified; `sandbox` when anyone recognises whose request it is.
    """

    profile: str
    request_id: str = ""
    sandbox: Sandbox | None = None
    grant: Grant | None = None
    rate: RateDecision | None = None
    # The fault injected into this request, described for the journal ("status 503", "dropped").
    fault: str | None = None
    # The bearer token looked up for this request and what it stands for (see `lookup_token`).
    token: tuple[str, str, Sandbox, Grant] | None = None


def trace_of(scope: MutableMapping[str, Any]) -> RequestTrace | None:
    return scope.get("extensions", {}).get(TRACE_KEY)


def lookup_token(scope: MutableMapping[str, Any], registry: SandboxRegistry, token: str, profile: str):
    """`registry.lookup_token`, asked once per request: the fault middleware and the security check
    both need the token's sandbox, and each lookup asks the store whether the sandbox has changed."""
    trace = trace_of(scope)
    if trace is not None and trace.token is not None and trace.token[:2] == (token, profile):
        return trace.token[2:]
    sandbox, grant = registry.lookup_token(token, profile)
    if trace is not None:
        trace.token = (token, profile, sandbox, grant)
    return sandbox, grant


def attribute(scope: MutableMapping[str, Any], sandbox: Sandbox) -> None:
    """Record that the request in `scope` was served for `sandbox` (so it lands in its journal)."""
    trace = trace_of(scope)
    if trace is not None:
        trace.sandbox = sandbox


def attribute_current_request(sandbox: Sandbox) -> None:
    """`attribute` for handlers."""
    attribute(current().scope, sandbox)


def current_registry() -> SandboxRegistry:
    """The registry of the app serving the current request."""
    return current().state[REGISTRY_KEY]


def current_profiles() -> list[Profile]:
    """The vendor profiles the app serves."""
    return current().state[PROFILES_KEY]


def current_trace() -> RequestTrace | None:
    """The trace of the request a handler is serving (None outside vendor APIs)."""
    return trace_of(current().scope)
