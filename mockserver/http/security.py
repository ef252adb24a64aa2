"""Bearer tokens for every profile: Connexion's bearer scheme, resolved through the sandbox registry."""

from __future__ import annotations

from typing import Callable

from connexion.lifecycle import ConnexionRequest
from connexion.security import NO_VALUE, BearerSecurityHandler

from mockserver.engine.errors import RateLimited, Unauthenticated
from mockserver.engine.registry import SandboxRegistry

from .context import attribute, trace_of


def token_verifier(registry: SandboxRegistry, profile: str) -> Callable:
    """The function Connexion calls with a request's bearer token; it answers with `token_info`.

    `token_info` carries the sandbox and the grant, so handlers never look anything up again.
    A request with a known token is attributed to its sandbox even when the token has expired, so the
    refused request still shows in that sandbox's journal. The sandbox's quota for the profile is
    counted here, per grant principal.
    """

    def verify(token: str, request: ConnexionRequest) -> dict:
        sandbox, grant = registry.lookup_token(token, profile)
        attribute(request.scope, sandbox)
        now = sandbox.now()
        if grant.expired_at(now):
            raise Unauthenticated("The token has expired.", Unauthenticated.EXPIRED)
        decision = sandbox.rate_limits.hit(profile, grant.principal or grant.token, now)
        trace = trace_of(request.scope)
        if trace is not None:
            trace.grant, trace.rate = grant, decision
        if decision is not None and not decision.allowed:
            retry_after = decision.retry_after(now)
            raise RateLimited(f"Rate limit of {decision.limit} requests exceeded; retry in {retry_after} s.", decision, retry_after)
        return {"sub": grant.subject, "sandbox": sandbox, "grant": grant}

    return verify


def bearer_security_map(registry: SandboxRegistry, profile: str) -> dict:
    """A Connexion `security_map` whose bearer scheme verifies tokens of `profile`."""
    verify = token_verifier(registry, profile)

    class SandboxBearer(BearerSecurityHandler):
        def _resolve_func(self, security_scheme):
            return verify

        def _get_verify_func(self, token_info_func):
            # Connexion's generic wrapper inspects the function's signature on every request;
            # ours is known, so call it directly.
            def check(request: ConnexionRequest):
                scheme, token = self.get_auth_header_value(request)
                return verify(token, request) if scheme == "bearer" else NO_VALUE

            return check

    return {"bearer": SandboxBearer}
