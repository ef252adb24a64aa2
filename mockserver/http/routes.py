"""RouteTable: every served path and its methods, to tell which profile a path belongs to and to answer
405 with a complete `Allow` header (Connexion lists only one route's methods)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .profile import Profile

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class _Route:
    pattern: re.Pattern[str]
    methods: tuple[str, ...]


class RouteTable:
    """Built once at start-up from the specs; read-only afterwards."""

    def __init__(self, served: list[tuple[Profile, dict]]) -> None:
        # Longest base path first, so `/trimble/api/...` wins over a hypothetical `/trimble`.
        self._profiles = sorted((profile for profile, _ in served), key=lambda p: -len(p.base_path))
        self._routes: list[_Route] = []
        for profile, spec in served:
            for template, item in spec.get("paths", {}).items():
                methods = tuple(sorted(m.upper() for m in item if m in HTTP_METHODS))
                self._routes.append(_Route(_compile(profile.base_path + template), methods))

    def profile_for(self, path: str) -> Profile | None:
        for profile in self._profiles:
            if path == profile.base_path or path.startswith(profile.base_path + "/"):
                return profile
        return None

    def allowed_methods(self, path: str) -> tuple[str, ...]:
        for route in self._routes:
            if route.pattern.fullmatch(path.rstrip("/") or "/"):
                return route.methods
        return ()


def _compile(template: str) -> re.Pattern[str]:
    """`/vehiclegroups/{vehicleGroupId}` -> a regex matching one path segment per parameter."""
    parts = re.split(r"(\{[^}/]+\})", template)
    return re.compile("".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts))
