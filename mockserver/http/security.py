"""Bearer tokens for every profile: Connexion's bearer (and OAuth 2.0) schemes, resolved through the sandbox
registry; and HTTP Basic client credentials, decoded for the profile's token endpoint to check."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

from connexion.lifecycle import ConnexionRequest
from connexion.security import NO_VALUE, BasicSecurityHandler, BearerSecurityHandler

from mockserver.engine.errors import RateLimited, Unauthenticated
from mockserver.engine.registry import SandboxRegistry

from .context import attribute, lookup_token, trace_of


def token_verifier(registry: SandboxRegistry, profile: str) -> Callable:
    """The function Connexion calls with a request's bearer token; it answers with `token_info`.

    `token_info` carries the sandbox and the grant, so handlers never look anything up again.
    A request with a known token is attributed to its sandbox even when the token has expired, so the
    refused request still shows in that sandbox's journal. The sandbox's quota for the profile is
    counted here, per grant principal.
    """

    def verify(token: str, request: ConnexionRequest) -> dict:
        sandbox, grant = lookup_token(request.scope, registry, token, profile)
        attribute(request.scope, sandbox)
        now = sandbox.now()
        if grant.expired_at(now):
            raise Unauthenticated("The token has expired.", Unauthenticated.EXPIRED)
        decision = sandbox.count_request(profile, grant.principal or grant.token)
        trace = trace_of(request.scope)
        if trace is not None:
            trace.grant, trace.rate = grant, decision
        if decision is not None and not decision.allowed:
            retry_after = decision.retry_after(now)
            raise RateLimited(
                f"Rate limit of {decision.limit} requests exceeded; retry in {retry_after} s.", decision, retry_after
            )
        return {"sub": grant.subject, "sandbox": sandbox, "grant": grant}

    return verify


def bearer_security_map(registry: SandboxRegistry, profile: str) -> dict:
    """A Connexion `security_map` whose bearer and OAuth 2.0 schemes verify tokens of `profile`, and
    whose HTTP Basic scheme hands the decoded client credentials to the handler."""
    verify = token_verifier(registry, profile)

    class SandboxBearer(BearerSecurityHandler):
        def _resolve_func(self, security_scheme):
            return verify

        def _get_verify_func(self, token_info_func):
            # Connexion's generic wrapper inspects the function's signature on every request;
            # ours is known, so call it directly.
            def check(request: ConnexionRequest):
                scheme, token = self.get_auth_header_value(request)
                if scheme is None:
                    return NO_VALUE
                if scheme != "bearer":
                    # Credentials were sent, just not a token: they are wrong, not missing.
                    raise Unauthenticated(
                        "The Authorization header does not carry a bearer token.", Unauthenticated.INVALID
                    )
                return verify(token, request)

            return check

    # An OAuth 2.0 scheme's access tokens are bearer tokens; scopes play no part in the sandbox.
    return {"bearer": SandboxBearer, "oauth2": SandboxBearer, "basic": ClientCredentials}


class ClientCredentials(BasicSecurityHandler):
    """HTTP Basic `client_id:client_secret`, decoded into `token_info` for the token endpoint, which
    checks them against its world (only the world knows its clients)."""

    def _resolve_func(self, security_scheme):
        return _decode_basic

    def _get_verify_func(self, basic_info_func):
        def check(request: ConnexionRequest):
            scheme, value = self.get_auth_header_value(request)
            if scheme is None:
                return NO_VALUE
            if scheme != "basic":
                raise Unauthenticated(
                    "The Authorization header does not carry Basic client credentials.", Unauthenticated.INVALID
                )
            return _decode_basic(value)

        return check


def _decode_basic(value: str) -> dict:
    try:
        client_id, client_secret = base64.b64decode(value, validate=True).decode("utf-8").split(":", 1)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Unauthenticated(
            "The Basic credentials are not base64 of client_id:client_secret.", Unauthenticated.INVALID
        ) from None
    return {"sub": client_id, "client_id": client_id, "client_secret": client_secret}
