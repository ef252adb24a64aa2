"""Connexion's check of each spec against the OpenAPI schema, answered first by a Rust validator.

Connexion validates every spec it is given against the OpenAPI 3.0 schema, and every `default` in it against
its own schema, in pure Python: about half of `create_app`'s CPU time. A spec the Rust validator (jsonschema-rs,
already the fast path of request validation) finds valid, whose defaults are all valid, is accepted at once;
anything else goes to Connexion's own check, which decides and words the error exactly as before.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs
from connexion.json_schema import NullableTypeValidator
from connexion.spec import OpenAPISpecification, Specification
from jsonschema import Draft4Validator
from jsonschema.validators import extend as extend_validator

_connexion_check = Specification._validate_spec.__func__
_quick: dict[int, jsonschema_rs.Draft4Validator] = {}


def _defaults(node: Any) -> list[dict]:
    """Every object of the spec with a `default`: a superset of those Connexion checks."""
    found, stack = [], [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "default" in item:
                found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _defaults_valid(spec: dict) -> bool:
    """Each `default` valid against the schema it sits in, read as Connexion reads it (`nullable` included)."""
    instance_validator = extend_validator(Draft4Validator, {"type": NullableTypeValidator})(spec)
    return all(
        instance_validator.evolve(schema=holder).is_valid(holder["default"])
        for holder in _defaults(spec)
        if isinstance(holder.get("default"), (str, int, float, bool, list, dict, type(None)))
    )


def _validate_spec(cls: type[Specification], spec: dict) -> None:
    quick = _quick.get(id(cls.openapi_schema))
    if quick is None:
        quick = _quick[id(cls.openapi_schema)] = jsonschema_rs.Draft4Validator(cls.openapi_schema)
    if quick.is_valid(spec) and _defaults_valid(spec):
        return
    _connexion_check(cls, spec)


def install() -> None:
    """Answer OpenAPI 3 specs' checks through the quick path (Swagger 2 keeps Connexion's)."""
    OpenAPISpecification._validate_spec = classmethod(_validate_spec)
