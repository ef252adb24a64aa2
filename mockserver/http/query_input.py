"""Body properties read from the query string too, for vendors whose frameworks bind both (ServiceStack).

ServiceStack fills a request DTO from a JSON body first, then from the route, the query string and form
data, each overriding the one before ("path variables < query string < form data", RestPath.CreateRequest).
This ASGI step does the same before Connexion routes and validates a POST, PUT or PATCH: the query names
that are top-level properties of the operation's body schema (matched by the profile's casing rule, and
not also declared as the operation's query parameters) leave the query string and join the body:
- with no body they become a JSON object (a form body where the operation reads no JSON), converted as
  below, so a value of the wrong type is refused with the per-field error a JSON body gets;
- into a form body, where the form's own value wins for a property both name;
- into a JSON object, where the query's value wins, converted by the property's schema as a form value is
  (repeated names joined with commas, lists split on commas, integers, numbers and booleans parsed; a
  value that does not parse stays a string, for validation to refuse as it refuses it in a body).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Receive, Scope, Send

from . import json_input
from .body_limit import read_body, replay
from .names import _resolved
from .routes import compile_template

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
METHODS = ("POST", "PUT", "PATCH")


@dataclass(frozen=True)
class BodyOperation:
    """What merging needs of one operation that reads a body: its top-level body properties."""

    names: dict[str, str]  # folded name -> the spec's name
    schemas: dict[str, dict]  # the spec's name -> its (resolved) schema
    query_parameters: frozenset[str]  # folded names of its declared query parameters: they stay in the query
    reads_json: bool


@dataclass(frozen=True)
class QueryInputNames:
    """One API's operations that read a body, and how its input names fold (http/names.py)."""

    fold: Callable[[str], str]
    operations: list[tuple[re.Pattern[str], str, BodyOperation]]

    def operation(self, path: str, method: str) -> BodyOperation | None:
        return next((op for pattern, verb, op in self.operations if verb == method and pattern.fullmatch(path)), None)


def query_input_names(spec: dict, fold: Callable[[str], str]) -> QueryInputNames:
    """Every POST, PUT and PATCH of `spec` with a request body, with what merging needs of it."""
    operations = []
    for template, item in spec.get("paths", {}).items():
        shared = [_resolved(spec, p) for p in item.get("parameters", [])]
        for method, operation in item.items():
            if method.upper() not in METHODS or "requestBody" not in operation:
                continue
            parameters = shared + [_resolved(spec, p) for p in operation.get("parameters", [])]
            content = _resolved(spec, operation["requestBody"]).get("content", {})
            schemas: dict[str, dict] = {}
            for media in content.values():
                schema = _resolved(spec, media.get("schema"))
                for name, child in (schema or {}).get("properties", {}).items():
                    child = _resolved(spec, child)
                    if "items" in child:  # a list's items are converted one by one
                        child = {**child, "items": _resolved(spec, child["items"])}
                    schemas.setdefault(name, child)
            body = BodyOperation(
                names={fold(name): name for name in schemas},
                schemas=schemas,
                query_parameters=frozenset(fold(p["name"]) for p in parameters if p.get("in") == "query"),
                reads_json=any(m == "application/json" or m.endswith("+json") for m in content),
            )
            operations.append((compile_template(template), method.upper(), body))
    return QueryInputNames(fold, operations)


def body_properties(pairs: list[tuple[str, str]], names: QueryInputNames, operation: BodyOperation) -> list[int]:
    """The indexes of the query pairs that name a body property (and no query parameter) of `operation`."""
    return [
        index
        for index, (key, _) in enumerate(pairs)
        if names.fold(key) in operation.names and names.fold(key) not in operation.query_parameters
    ]


class QueryInput:
    """Moves body properties sent in the query string into the body, under each base path that wants it."""

    def __init__(self, app: ASGIApp, names_by_base_path: dict[str, QueryInputNames]) -> None:
        self.app = app
        self._names = sorted(names_by_base_path.items(), key=lambda item: -len(item[0]))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in METHODS and scope.get("query_string"):
            base, names = next(((b, n) for b, n in self._names if scope["path"].startswith(b + "/")), ("", None))
            operation = names.operation(scope["path"][len(base) :], scope["method"]) if names else None
            if names is not None and operation is not None:
                scope, receive = await _merged(scope, receive, names, operation)
        await self.app(scope, receive, send)


async def _merged(
    scope: Scope, receive: Receive, names: QueryInputNames, operation: BodyOperation
) -> tuple[Scope, Receive]:
    # latin-1 both ways keeps every byte as sent: the body step after this one decodes it as a body is.
    pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True, encoding="latin-1")
    taken = body_properties(pairs, names, operation)
    if not taken:
        return scope, receive
    properties = [(operation.names[names.fold(pairs[i][0])], pairs[i][1]) for i in taken]
    raw = await read_body(receive, limit=None)  # BodyLimit, outside, has already bounded it
    headers = dict(scope["headers"])
    media_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower().decode("latin-1")
    if not raw:
        body, media_type = (
            (_json(properties, operation), JSON) if operation.reads_json else (_form(properties, b""), FORM)
        )
    elif media_type == FORM:
        body = _form(properties, raw, names.fold)
    elif media_type == JSON or media_type.endswith("+json"):
        body = _into_json(properties, raw, names.fold, operation)
    else:
        return scope, replay(raw, receive)  # left as sent: refused as any such body is (415)
    moved = set(taken)
    kept = [pair for index, pair in enumerate(pairs) if index not in moved]
    replaced = {b"content-length": str(len(body)).encode(), b"content-type": media_type.encode()}
    scope = {
        **scope,
        "query_string": urlencode(kept, encoding="latin-1").encode("latin-1"),
        "headers": [(k, v) for k, v in scope["headers"] if k not in replaced] + list(replaced.items()),
    }
    return scope, replay(body, receive)


def _form(properties: list[tuple[str, str]], raw: bytes, fold: Callable[[str], str] = str) -> bytes:
    """The form body with the query's properties the form does not name itself (the form wins)."""
    form = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="latin-1") if raw else []
    named = {fold(key) for key, _ in form}
    merged = [(key, value) for key, value in properties if fold(key) not in named] + form
    return urlencode(merged, encoding="latin-1").encode("latin-1")


def _into_json(properties: list[tuple[str, str]], raw: bytes, fold: Callable[[str], str], op: BodyOperation) -> bytes:
    """The JSON object with the query's properties over its own (the query wins); any other document as sent."""
    try:
        document = json_input.loads(raw)
    except ValueError:
        return raw  # the validator words the error
    if not isinstance(document, dict):
        return raw
    values = _values(properties, op)
    document = {key: value for key, value in document.items() if fold(key) not in {fold(name) for name in values}}
    return json.dumps({**document, **values}).encode()


def _json(properties: list[tuple[str, str]], operation: BodyOperation) -> bytes:
    return json.dumps(_values(properties, operation)).encode()


def _values(properties: list[tuple[str, str]], operation: BodyOperation) -> dict[str, Any]:
    """The query's properties as JSON values: repeated names joined, then converted as a form's are."""
    joined: dict[str, list[str]] = {}
    for name, value in properties:
        joined.setdefault(name, []).append(value.encode("latin-1").decode("utf-8", errors="replace"))
    return {name: _converted(",".join(values), operation.schemas[name]) for name, values in joined.items()}


def _converted(text: str, schema: dict) -> Any:
    if schema.get("type") == "array":
        return [_converted(item, schema.get("items") or {}) for item in text.split(",")]
    try:
        if schema.get("type") == "integer":
            return int(text)
        if schema.get("type") == "number":
            number = float(text)
            return number if math.isfinite(number) else text
        if schema.get("type") == "boolean" and text.lower() in ("true", "false"):
            return text.lower() == "true"
    except ValueError:
        pass
    return text
