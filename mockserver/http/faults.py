"""ASGI middleware that applies faults (engine/faults.py) to vendor requests: a sandbox's rules, found
through the request's bearer token, or the request's own `X-Fleetbox-Fault` header.

It sits inside Connexion's error handling, so an injected status is rendered by the profile's renderer
like any other error, and inside the envelope, so faulted requests are journaled with their fault.
"""

from __future__ import annotations

import asyncio

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.engine.errors import InjectedFault, Unauthenticated
from mockserver.engine.faults import HEADER, Fault, from_header
from mockserver.engine.registry import SandboxRegistry

from .context import lookup_token, trace_of
from .routes import RouteTable


class FaultMiddleware:
    def __init__(self, app: ASGIApp, routes: RouteTable, registry: SandboxRegistry, vendors: frozenset[str]) -> None:
        self.app = app
        self._routes = routes
        self._registry = registry
        self._vendors = vendors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        profile = self._routes.profile_for(scope["path"]) if scope["type"] == "http" else None
        fault = (
            self._fault_for(scope, profile.name, profile.base_path)
            if profile and profile.name in self._vendors
            else None
        )
        if fault is None:
            await self.app(scope, receive, send)
            return
        trace = trace_of(scope)
        if trace is not None:
            trace.fault = fault.describe()
        if fault.latency_ms:
            await asyncio.sleep(fault.latency_ms / 1000)
        if fault.drop:
            # Promise a body, then close: the client sees the connection die mid-response.
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]})
            return
        if fault.status:
            raise InjectedFault(fault.status)
        await self.app(scope, receive, send)

    def _fault_for(self, scope: Scope, profile: str, base_path: str) -> Fault | None:
        headers = Headers(scope=scope)
        if HEADER in headers:
            return from_header(headers[HEADER])
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        try:
            sandbox, _ = lookup_token(scope, self._registry, token.strip(), profile)
        except Unauthenticated:
            return None
        trace = trace_of(scope)
        if trace is not None:
            trace.sandbox = sandbox
        return sandbox.take_fault(profile, scope["method"], scope["path"][len(base_path) :] or "/")
