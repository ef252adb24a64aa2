"""The control plane's spec for the profiles a server serves: sandbox.yaml with its profile lists filled in.

sandbox.yaml lists the shipped profiles by hand, so that client generators read typed credentials and
states; a test proves those lists are exactly what `control_spec` derives for the shipped contracts.
Schemas marked `x-fleetbox-profiles` are the lists: `names` (a profile-name enum), `credentials` and
`state` (one property per profile, typed by the schema its contract names), `rateLimits` (one quota each).
"""

from __future__ import annotations

from collections.abc import Iterator

from conformance.contract import ProfileContract, load_spec

MARK = "x-fleetbox-profiles"
UNTYPED = {"type": "object", "description": "This profile's document (its spec names no schema for it)."}


def control_spec(contracts: tuple[ProfileContract, ...]) -> dict:
    """sandbox.yaml, with every profile list naming exactly `contracts`, in their order."""
    spec = load_spec("sandbox.yaml")
    for schema in _marked(spec):
        kind = schema[MARK]
        if kind == "names":
            schema["enum"] = [c.name for c in contracts] + ([None] if None in schema.get("enum", ()) else [])
        elif kind in ("credentials", "state", "rateLimits"):
            schema["properties"] = {c.name: _schema_of(kind, c) for c in contracts}
            if "required" in schema:
                schema["required"] = [c.name for c in contracts]
        else:
            raise ValueError(f"sandbox.yaml marks a schema {MARK}: {kind!r}, which fleetbox does not know")
    return spec


def _schema_of(kind: str, contract: ProfileContract) -> dict:
    if kind == "rateLimits":
        return {"$ref": "#/components/schemas/RateLimit"}
    named = contract.credentials_schema if kind == "credentials" else contract.state_schema
    return {"$ref": f"#/components/schemas/{named}"} if named else dict(UNTYPED)


def _marked(node) -> Iterator[dict]:
    """Every schema in `node` that carries the mark, depth first."""
    if isinstance(node, dict):
        if MARK in node:
            yield node
        for value in node.values():
            yield from _marked(value)
    elif isinstance(node, list):
        for value in node:
            yield from _marked(value)
