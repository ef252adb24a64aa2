"""POST /auth/oauth/token: client credentials for a bearer token."""

from __future__ import annotations

from mockserver.engine.errors import FieldError, InvalidInput, Unauthenticated
from mockserver.http.context import attribute_current_request, current_registry

from ..world import NAME
from . import JSON

GRANT_TYPE = "client_credentials"


def issue_token(token_info: dict, grant_type: str | None = None, body: dict | None = None):
    if GRANT_TYPE not in (grant_type, (body or {}).get("grant_type")):
        message = f"must be {GRANT_TYPE}, in the query (or a form body)."
        raise InvalidInput(f"grant_type: {message}", (FieldError("grant_type", message),))
    registry = current_registry()
    # The client id alone says which sandbox the client belongs to.
    sandbox = registry.find_by_key(NAME, token_info["client_id"])
    if sandbox is None:
        raise Unauthenticated("The client id or the client secret is not valid.", Unauthenticated.INVALID)
    attribute_current_request(sandbox)
    token = sandbox.world(NAME).issue_token(token_info["client_id"], token_info["client_secret"])
    return token, 200, {**JSON, "Cache-Control": "no-store"}
