"""Credentials (http/security.py): HTTP Basic client credentials decoded for the token endpoint, and
bearer tokens that name their sandbox."""

from __future__ import annotations

import base64

import pytest

from mockserver.engine.errors import Unauthenticated
from mockserver.http.security import _decode_basic


def encoded(text: bytes) -> str:
    return base64.b64encode(text).decode()


def test_basic_credentials_are_split_at_the_first_colon():
    decoded = _decode_basic(encoded(b"client-1:se:cret"))
    assert decoded == {"sub": "client-1", "client_id": "client-1", "client_secret": "se:cret"}
    assert _decode_basic(encoded("kl\u00e9:".encode()))["client_secret"] == ""


@pytest.mark.parametrize("value", ["not-base64!", encoded(b"no-colon"), encoded(b"\xff\xfe:x"), "YQ"])
def test_undecodable_basic_credentials_are_invalid_not_missing(value):
    with pytest.raises(Unauthenticated, match="not base64 of client_id:client_secret") as refused:
        _decode_basic(value)
    assert refused.value.reason == Unauthenticated.INVALID


def test_a_token_is_refused_by_another_profile(sandbox):
    """Tokens are looked up per profile: a trimble token opens no other API."""
    token = sandbox.trimble("direct").http.headers["Authorization"].split()[1]
    assert sandbox.anonymous_invers().get("/vehicles", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert sandbox.anonymous_hourfleet().get("/cars", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_request_looks_its_bearer_token_up_once(server, trimble, monkeypatch):
    """The fault middleware and the security check both need the token's sandbox; asking the registry
    twice would ask the store twice whether the sandbox changed."""
    from mockserver.http.context import REGISTRY_KEY

    registry = server.app.app.extensions[REGISTRY_KEY]
    asked = []
    real = registry.lookup_token
    monkeypatch.setattr(registry, "lookup_token", lambda *args: asked.append(args) or real(*args))
    assert trimble.get("/vehicles").status_code == 200
    assert len(asked) == 1
