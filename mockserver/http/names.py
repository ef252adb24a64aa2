"""Input names in any case, for vendors whose frameworks bind them so (ASP.NET, ServiceStack).

An ASGI middleware rewrites the names a client sent to the spec's own spelling before Connexion
routes and validates the request, so the spec documents one spelling and validation stays exact.
What is rewritten, and how loosely names match, is each profile's choice:
- query parameter names, matched case-insensitively (`?LIMIT=3` -> `limit`), or
- query names and the property names of JSON and form-urlencoded bodies, matched ignoring case,
  underscores and dashes (`start_date_utc`, `startDateUtc` -> `StartDateUtc`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Receive, Scope, Send

from . import json_input
from .body_limit import read_body, replay
from .routes import HTTP_METHODS, compile_template

QUERIES_REMEMBERED = 1024


def case_insensitive(name: str) -> str:
    return name.lower()


def any_case(name: str) -> str:
    """camelCase, PascalCase, snake_case and kebab-case spellings of a name fold to one key."""
    return name.replace("_", "").replace("-", "").lower()


def _resolved(spec: dict, node: Any) -> Any:
    """Follow local `$ref`s (`#/components/parameters/offset`) to what they name."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _add(names: dict[str, str], fold: Callable[[str], str], name: str) -> None:
    key = fold(name)
    if names.setdefault(key, name) != name:
        raise ValueError(f"the spec names both {names[key]!r} and {name!r}, which clients could not tell apart")


def query_names(spec: dict, fold: Callable[[str], str] = case_insensitive) -> dict[str, str]:
    """folded name -> the spec's name, for every query parameter anywhere in `spec`."""
    names: dict[str, str] = {}
    for item in spec.get("paths", {}).values():
        holders = [item] + [op for method, op in item.items() if method in HTTP_METHODS]
        for holder in holders:
            for param in (_resolved(spec, p) for p in holder.get("parameters", [])):
                if param.get("in") == "query":
                    _add(names, fold, param["name"])
    return names


def _schema_names(spec: dict, schemas: list, fold: Callable[[str], str]) -> dict[str, str]:
    """folded name -> the spec's name, for every property of `schemas`, at any depth."""
    names: dict[str, str] = {}
    seen: set[int] = set()

    def walk(schema: Any) -> None:
        schema = _resolved(spec, schema)
        if not isinstance(schema, dict) or id(schema) in seen:
            return
        seen.add(id(schema))
        for name, child in schema.get("properties", {}).items():
            _add(names, fold, name)
            walk(child)
        for key in ("items", "additionalProperties", "not"):
            walk(schema.get(key))
        for key in ("allOf", "oneOf", "anyOf"):
            for child in schema.get(key, []):
                walk(child)

    for schema in schemas:
        walk(schema)
    return names


def body_names(spec: dict, fold: Callable[[str], str] = any_case) -> list[tuple[re.Pattern[str], str, dict[str, str]]]:
    """(path pattern, METHOD, folded name -> the spec's name) for every operation with a request body:
    names are per operation, so two operations may spell a name differently (`username`, `Username`)."""
    operations = []
    for template, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method in HTTP_METHODS and "requestBody" in operation:
                content = _resolved(spec, operation["requestBody"]).get("content", {})
                names = _schema_names(spec, [media.get("schema") for media in content.values()], fold)
                operations.append((compile_template(template), method.upper(), names))
    return operations


@dataclass(frozen=True)
class InputNames:
    """How one API's input names are rewritten: `body` is None where bodies are left as sent."""

    fold: Callable[[str], str]
    query: dict[str, str]
    body: list[tuple[re.Pattern[str], str, dict[str, str]]] | None = None

    def rename(self, names: dict[str, str], key: str) -> str:
        return names.get(self.fold(key), key)

    def body_names_for(self, path: str, method: str) -> dict[str, str] | None:
        """The body names of the operation at `path` (relative to the base path) and `method`."""
        return next(
            (names for pattern, verb, names in self.body or () if verb == method and pattern.fullmatch(path)), None
        )

    def rename_json(self, names: dict[str, str], value: Any) -> Any:
        if isinstance(value, dict):
            return {self.rename(names, key): self.rename_json(names, item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.rename_json(names, item) for item in value]
        return value


def input_names(spec: dict, bodies: bool) -> InputNames:
    """Query names case-insensitively; with `bodies`, query and body names in any case."""
    if not bodies:
        return InputNames(case_insensitive, query_names(spec))
    return InputNames(any_case, query_names(spec, any_case), body_names(spec))


class AnyCaseInput:
    """Rewrites input names under each base path to the spelling that API's spec uses."""

    def __init__(self, app: ASGIApp, names_by_base_path: dict[str, InputNames]) -> None:
        self.app = app
        self._names = sorted(names_by_base_path.items(), key=lambda item: -len(item[0]))
        # (base path, query string as sent) -> the query string renamed: clients send the same few again and
        # again; bounded, so a client sending endless variations only starts it over.
        self._queries: dict[tuple[str, bytes], bytes] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            base, names = next(((b, n) for b, n in self._names if scope["path"].startswith(b + "/")), ("", None))
            if names is not None:
                query = scope.get("query_string")
                if query:
                    renamed = self._renamed_query(base, query, names)
                    if renamed != query:
                        scope = {**scope, "query_string": renamed}
                if names.body is not None and scope["method"] in ("POST", "PUT", "PATCH", "DELETE"):
                    body_names = names.body_names_for(scope["path"][len(base) :], scope["method"])
                    if body_names:
                        scope, receive = await self._with_body(scope, receive, names, body_names)
        await self.app(scope, receive, send)

    def _renamed_query(self, base: str, query: bytes, names: InputNames) -> bytes:
        """`query` with its names spelled as the spec under `base` spells them; remembered, since clients send
        the same few again and again."""
        renamed = self._queries.get((base, query))
        if renamed is None:
            pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
            respelled = [(names.rename(names.query, key), value) for key, value in pairs]
            renamed = query if respelled == pairs else urlencode(respelled, encoding="latin-1").encode("latin-1")
            if len(self._queries) >= QUERIES_REMEMBERED:
                self._queries.clear()
            self._queries[(base, query)] = renamed
        return renamed

    @staticmethod
    async def _with_body(
        scope: Scope, receive: Receive, names: InputNames, body_names: dict[str, str]
    ) -> tuple[Scope, Receive]:
        headers = dict(scope["headers"])
        media_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        is_json = media_type == b"application/json" or media_type.endswith(b"+json")
        if not is_json and media_type != b"application/x-www-form-urlencoded":
            return scope, receive
        raw = await read_body(receive, limit=None)  # BodyLimit, outside, has already bounded it
        body = _renamed_json(raw, names, body_names) if is_json else _renamed_form(raw, names, body_names)

        if body != raw:
            length = str(len(body)).encode()
            scope = {**scope, "headers": [(k, length if k == b"content-length" else v) for k, v in scope["headers"]]}
        return scope, replay(body, receive)


def _renamed_json(raw: bytes, names: InputNames, body_names: dict[str, str]) -> bytes:
    try:
        document = json_input.loads(raw)
    except ValueError:
        return raw  # the validator words the error
    renamed = names.rename_json(body_names, document)
    return raw if renamed == document else json.dumps(renamed).encode()


def _renamed_form(raw: bytes, names: InputNames, body_names: dict[str, str]) -> bytes:
    try:
        pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
    except ValueError:
        return raw
    renamed = [(names.rename(body_names, key), value) for key, value in pairs]
    return raw if renamed == pairs else urlencode(renamed, encoding="latin-1").encode("latin-1")
