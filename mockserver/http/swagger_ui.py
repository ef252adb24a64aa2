"""SwaggerUIOnItsPaths: Connexion's Swagger UI middleware, stepped over by requests it cannot serve, and
writing each spec document once.

Connexion's middleware copies the scope and walks its router (every API's mount, then the UI and
spec routes inside it) for every request before passing an API call on; profiled under load that
was a seventh of the server's CPU time. The UI and spec documents live under a handful of path
endings, so a request whose path has none of them goes straight on.

Connexion also copies the spec and writes it out again for every request of `openapi.json` or
`openapi.yaml`; the YAML took a CPU second each. The spec never changes while serving, so each document
is written once per base path and kept, the YAML by libyaml's emitter (a quarter of the pure-Python one's
time, the same bytes).
"""

from __future__ import annotations

from collections.abc import Callable

import connexion
import yaml
from connexion.jsonifier import Jsonifier
from connexion.middleware.swagger_ui import SwaggerUIAPI, SwaggerUIMiddleware
from connexion.options import SwaggerUIOptions
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

UI_OPTIONS = SwaggerUIOptions(swagger_ui_path="/ui")

# The characters after which Connexion's YAML writer puts a string in block style ("|").
_LINE_BREAKS = "\n\r\x1c\x1d\x1e\x85\u2028\u2029"


class _SpecDumper(yaml.CSafeDumper):
    """Connexion's `yamldumper` rules (no anchors, multi-line strings as blocks) on libyaml's emitter. Connexion's
    own writer patches PyYAML's shared representer to get them; this keeps them to this class."""

    def ignore_aliases(self, data) -> bool:
        return True

    def represent_scalar(self, tag, value, style=None):
        style = "|" if any(mark in value for mark in _LINE_BREAKS) else self.default_style
        return yaml.representer.BaseRepresenter.represent_scalar(self, tag, value, style)


def spec_as_yaml(spec: dict) -> str:
    """`spec` written as Connexion's Swagger UI serves it in `openapi.yaml`."""
    return yaml.dump(spec, allow_unicode=True, Dumper=_SpecDumper)


def _served_path_endings(options: SwaggerUIOptions) -> tuple[tuple[str, ...], str]:
    """The endings of the spec documents and the UI page, and the prefix of the UI's files."""
    spec = options.spec_path or "/openapi.json"
    ui = options.swagger_ui_path.rstrip("/")
    # Connexion also serves the spec as YAML beside a JSON spec path.
    endings = (spec, spec.removesuffix(".json") + ".yaml", ui)
    return endings, ui + "/"


SPEC_AND_UI_ENDINGS, UI_FILES = _served_path_endings(UI_OPTIONS)


class WrittenOnceSpecAPI(SwaggerUIAPI):
    """Connexion's UI and spec routes of one API, each spec document written once per base path."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._written: dict[tuple[str, str], bytes] = {}

    def _document(self, request, media_type: str, write: Callable[[dict], str | bytes]) -> Response:
        key = (media_type, self._base_path_for_prefix(request))
        content = self._written.get(key)
        if content is None:
            written = write(self._spec_for_prefix(request))
            content = self._written[key] = written.encode() if isinstance(written, str) else written
        return Response(content=content, status_code=200, media_type=media_type)

    async def _get_openapi_json(self, request):
        # Connexion's jsonifier: the YAML loader made datetimes of some values, which it writes back.
        return self._document(request, "application/json", Jsonifier().dumps)

    async def _get_openapi_yaml(self, request):
        return self._document(request, "text/yaml", spec_as_yaml)


class SwaggerUIOnItsPaths(SwaggerUIMiddleware):
    def add_api(self, specification, base_path=None, arguments=None, **kwargs) -> None:
        # Connexion's own add_api, with WrittenOnceSpecAPI in the place of SwaggerUIAPI.
        api = WrittenOnceSpecAPI(
            specification, base_path=base_path, arguments=arguments, default=self.default_fn, **kwargs
        )
        self.router.mount(api.base_path, app=api.router)

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
