"""SwaggerUIOnItsPaths: Connexion's Swagger UI middleware, stepped over by requests it cannot serve.

Connexion's middleware copies the scope and walks its router (every API's mount, then the UI and
spec routes inside it) for every request before passing an API call on; profiled under load that
was a seventh of the server's CPU time. The UI and spec documents live under a handful of path
endings, so a request whose path has none of them goes straight on.
"""

from __future__ import annotations

import connexion
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.options import SwaggerUIOptions
from starlette.types import Receive, Scope, Send

UI_OPTIONS = SwaggerUIOptions(swagger_ui_path="/ui")


def _served_path_endings(options: SwaggerUIOptions) -> tuple[tuple[str, ...], str]:
    """The endings of the spec documents and the UI page, and the prefix of the UI's files."""
    spec = options.spec_path or "/openapi.json"
    ui = options.swagger_ui_path.rstrip("/")
    # Connexion also serves the spec as YAML beside a JSON spec path.
    endings = (spec, spec.removesuffix(".json") + ".yaml", ui)
    return endings, ui + "/"


SPEC_AND_UI_ENDINGS, UI_FILES = _served_path_endings(UI_OPTIONS)


class SwaggerUIOnItsPaths(SwaggerUIMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and not path.endswith(SPEC_AND_UI_ENDINGS) and UI_FILES not in path:
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def serve_swagger_ui_on_its_paths(app: connexion.FlaskApp) -> None:
    """Put SwaggerUIOnItsPaths in the place of Connexion's own Swagger UI middleware in `app`'s stack."""
    stack = app.middleware.middlewares
    stack[stack.index(SwaggerUIMiddleware)] = SwaggerUIOnItsPaths
