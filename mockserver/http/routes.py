"""RouteTable: every served path and its methods, to tell which profile a path belongs to, to answer
405 with a complete `Allow` header (Connexion lists only one route's methods), and to know which
operations read a body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.engine.errors import MethodNotAllowed

from .profile import Profile

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PATHS_REMEMBERED = 4096


@dataclass(frozen=True)
class _Route:
    pattern: re.Pattern[str]
    methods: tuple[str, ...]
    # The methods whose operation documents a request body.
    body_methods: frozenset[str]


class RouteTable:
    """Built once at start-up from the specs; read-only afterwards."""

    def __init__(self, served: list[tuple[Profile, dict]]) -> None:
        # Longest base path first, so `/trimble/api/...` wins over a hypothetical `/trimble`.
        self._profiles = sorted((profile for profile, _ in served), key=lambda p: -len(p.base_path))
        self._routes: list[_Route] = []
        self._seen: dict[str, _Route | None] = {}
        for profile, spec in served:
            for template, item in spec.get("paths", {}).items():
                methods = tuple(sorted(m.upper() for m in item if m in HTTP_METHODS))
                body_methods = frozenset(m.upper() for m in item if m in HTTP_METHODS and "requestBody" in item[m])
                self._routes.append(_Route(compile_template(profile.base_path + template), methods, body_methods))

    def profile_for(self, path: str) -> Profile | None:
        for profile in self._profiles:
            if path == profile.base_path or path.startswith(profile.base_path + "/"):
                return profile
        return None

    def allowed_methods(self, path: str) -> tuple[str, ...]:
        route = self._route_of(path)
        return route.methods if route else ()

    def reads_body(self, path: str, method: str) -> bool:
        """Whether the operation at `path` and `method` documents a request body."""
        route = self._route_of(path)
        return route is not None and method in route.body_methods

    def _route_of(self, path: str) -> _Route | None:
        # Every route of every profile is tried in turn, a regex each: remembered per path, since clients
        # ask for the same paths again and again (a bounded memory: a client walking many ids starts it over).
        try:
            return self._seen[path]
        except KeyError:
            pass
        found = self._seen[path] = next(
            (route for route in self._routes if route.pattern.fullmatch(path.rstrip("/") or "/")), None
        )
        if len(self._seen) > PATHS_REMEMBERED:
            self._seen.clear()
        return found


def compile_template(template: str) -> re.Pattern[str]:
    """`/vehiclegroups/{vehicleGroupId}` -> a regex matching one path segment per parameter."""
    parts = re.split(r"(\{[^}/]+\})", template)
    return re.compile("".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts))


class DeclaredMethodsOnly:
    """Refuses, under the given base paths, every method a path's spec does not declare, HEAD and
    OPTIONS included (Starlette would otherwise answer HEAD as GET), with the profile's 405."""

    def __init__(self, app: ASGIApp, routes: RouteTable, base_paths: tuple[str, ...]) -> None:
        self.app = app
        self._routes = routes
        self._base_paths = base_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and any(scope["path"].startswith(base + "/") for base in self._base_paths):
            allowed = self._routes.allowed_methods(scope["path"])
            if allowed and scope["method"] not in allowed:
                raise MethodNotAllowed(f"The method {scope['method']} is not allowed here.", allowed)
        await self.app(scope, receive, send)
