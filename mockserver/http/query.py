"""ASGI middleware for vendors whose frameworks bind query parameters case-insensitively (ASP.NET,
ServiceStack): rewrites `?Offset=5&LIMIT=3` to the spec's casing before Connexion routes it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Receive, Scope, Send


def _resolved(spec: dict, node: dict) -> dict:
    """Follow a local `$ref` (`#/components/parameters/offset`) to what it names."""
    while "$ref" in node:
        target: dict = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def query_names(spec: dict) -> dict[str, str]:
    """lower-cased name -> the spec's name, for every query parameter anywhere in `spec`."""
    names: dict[str, str] = {}
    for item in spec.get("paths", {}).values():
        operations = [item] + [op for op in item.values() if isinstance(op, dict)]
        for holder in operations:
            for param in map(lambda p: _resolved(spec, p), holder.get("parameters", [])):
                if param.get("in") == "query":
                    names[param["name"].lower()] = param["name"]
    return names


class AnyCaseQueryNames:
    """Rewrites query names under each base path to the casing that API's spec uses."""

    def __init__(self, app: ASGIApp, names_by_base_path: dict[str, dict[str, str]]) -> None:
        self.app = app
        self._names = sorted(names_by_base_path.items(), key=lambda item: -len(item[0]))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("query_string"):
            names = next((n for base, n in self._names if scope["path"].startswith(base + "/")), None)
            if names is not None:
                scope = self._rewritten(scope, names)
        await self.app(scope, receive, send)

    @staticmethod
    def _rewritten(scope: Scope, names: dict[str, str]) -> Scope:
        pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        renamed = [(names.get(key.lower(), key), value) for key, value in pairs]
        if renamed == pairs:
            return scope
        return {**scope, "query_string": urlencode(renamed).encode("latin-1")}
