"""Who may use the control plane: the server's control token anywhere, a sandbox's access key on that sandbox alone.

Without a control token (the local default) the control plane is open, as it always was: the spec it
serves has no security requirements (`served_spec`) and no header is read. With one, sandbox.yaml's
requirements decide: each operation lists the schemes that admit a caller, and a scheme's
`x-fleetbox-access` says which bearer it takes (`control`: the control token; `sandbox`: the access key
of the sandbox named in the path). Connexion tries them in turn; every scheme refuses a given bearer
the same way (401 for a missing or unknown one, 403 for an access key used beyond its sandbox), so the
answer does not depend on their order. Refusals come before any handler runs: nothing is journaled.
"""

from __future__ import annotations

import hmac
import ipaddress

from connexion.lifecycle import ConnexionRequest
from connexion.security import BearerSecurityHandler

from mockserver.engine.errors import Forbidden, Unauthenticated
from mockserver.engine.registry import SandboxRegistry
from mockserver.engine.sandbox import Sandbox

ACCESS = "x-fleetbox-access"
CHALLENGE = 'Bearer realm="fleetbox control plane"'


class ControlAccess:
    """Decides, from the Authorization header and the sandbox a path names, whether a call may proceed."""

    def __init__(self, registry: SandboxRegistry, control_token: str | None) -> None:
        self._registry = registry
        self._token = control_token.encode() if control_token else None

    def authorize(self, authorization: str | None, sandbox_id: str | None, keys_admitted: bool) -> dict:
        """`token_info` for an admitted call; raises Unauthenticated or Forbidden otherwise.

        `keys_admitted` is whether the scheme being tried takes an access key (on `sandbox_id` alone).
        """
        if self._token is None:
            return {"sub": "anyone", "access": "open"}
        token = _bearer(authorization).encode()
        if hmac.compare_digest(token, self._token):
            return {"sub": "control", "access": "control"}
        owner = self._owner(token)
        if owner is None:
            raise Unauthenticated(
                "The bearer token is neither this server's control token nor a sandbox's access key.",
                Unauthenticated.INVALID,
            )
        if keys_admitted and owner.id == sandbox_id:
            return {"sub": owner.id, "access": "sandbox", "sandbox": owner}
        # The same refusal whichever scheme is tried (see the module's docstring).
        raise Forbidden(
            f"This access key acts on sandbox '{owner.id}' alone; other sandboxes, and listing or creating "
            "sandboxes, need the server's control token."
        )

    def _owner(self, token: bytes) -> Sandbox | None:
        """The sandbox whose access key `token` is (a server holds at most a few hundred)."""
        for sandbox in self._registry.all():
            if hmac.compare_digest(token, sandbox.access_key.encode()):
                return sandbox
        return None


def _bearer(authorization: str | None) -> str:
    if not authorization or not authorization.strip():
        raise Unauthenticated(
            "The control plane needs `Authorization: Bearer <control token or access key>`.", Unauthenticated.MISSING
        )
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("The Authorization header does not carry a bearer token.", Unauthenticated.INVALID)
    return token.strip()


def control_security_map(registry: SandboxRegistry, control_token: str | None) -> dict:
    """A Connexion `security_map` for sandbox.yaml: its bearer schemes checked by one `ControlAccess`."""
    access = ControlAccess(registry, control_token)

    class ControlBearer(BearerSecurityHandler):
        def get_fn(self, security_scheme: dict, required_scopes):
            keys_admitted = security_scheme.get(ACCESS) == "sandbox"

            def check(request: ConnexionRequest) -> dict:
                sandbox_id = request.scope.get("path_params", {}).get("sandboxId")
                return access.authorize(request.headers.get("authorization"), sandbox_id, keys_admitted)

            return check

    return {"bearer": ControlBearer}


def served_spec(spec: dict, control_token: str | None) -> dict:
    """sandbox.yaml as this server serves and enforces it: without a control token no operation asks for a
    bearer, so the spec it publishes (and Schemathesis, and Swagger UI) says the control plane is open."""
    if control_token:
        return spec
    spec["security"] = []
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict):
                operation.pop("security", None)
    return spec


def challenge(error: Unauthenticated | Forbidden) -> str:
    """The `WWW-Authenticate` value of a refusal (RFC 6750's error codes)."""
    if isinstance(error, Forbidden):
        return f'{CHALLENGE}, error="insufficient_scope"'
    if error.reason == Unauthenticated.MISSING:
        return CHALLENGE
    return f'{CHALLENGE}, error="invalid_token"'


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server to this machine (a name other than localhost is not trusted to)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
