"""Per-request bookkeeping shared by middleware and handlers: which sandbox a request belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, MutableMapping

import flask

if TYPE_CHECKING:
    from mockserver.engine.registry import SandboxRegistry
    from mockserver.http.profile import Profile
    from mockserver.engine.sandbox import Sandbox

TRACE_KEY = "fleetbox.trace"
REGISTRY_KEY = "fleetbox.registry"
PROFILES_KEY = "fleetbox.profiles"


@dataclass
class RequestTrace:
    """Filled in while a request is served; the journal middleware reads it once the response is sent."""

    profile: str
    sandbox: Sandbox | None = None


def trace_of(scope: MutableMapping[str, Any]) -> RequestTrace | None:
    return scope.get("extensions", {}).get(TRACE_KEY)


def attribute(scope: MutableMapping[str, Any], sandbox: Sandbox) -> None:
    """Record that the request in `scope` was served for `sandbox` (so it lands in its journal)."""
    trace = trace_of(scope)
    if trace is not None:
        trace.sandbox = sandbox


def attribute_current_request(sandbox: Sandbox) -> None:
    """`attribute` for handlers, which run inside Flask with the ASGI scope in the WSGI environ."""
    attribute(flask.request.environ["asgi.scope"], sandbox)


def current_registry() -> SandboxRegistry:
    """The registry of the app serving the current request."""
    return flask.current_app.extensions[REGISTRY_KEY]


def current_profiles() -> list[Profile]:
    """The vendor profiles the app serves."""
    return flask.current_app.extensions[PROFILES_KEY]
