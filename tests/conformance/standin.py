"""A stand-in implementation that breaks the basics, as a mock server made from a spec does: every
documented path answers its first documented status with a fixed body built from the schema, whatever
was sent, and every credential is accepted. The suite must judge it (exit status 1), not refuse it."""

from __future__ import annotations

import json
import re
import threading
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from conformance.contract import load_spec

from ..support import free_port

METHODS = ("get", "put", "post", "delete", "patch")
DEPTH = 6


def example_of(schema: dict, spec: dict, depth: int = 0) -> Any:
    """A fixed value of `schema`: its example, default or first enum value, else a plain value of its type."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return example_of(spec["components"]["schemas"][name], spec, depth + 1) if depth < DEPTH else None
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("allOf", "oneOf", "anyOf"):
        if schema.get(key):
            parts = [example_of(part, spec, depth + 1) for part in schema[key]]
            if key == "allOf" and all(isinstance(part, dict) for part in parts):
                return {k: v for part in parts for k, v in part.items()}
            return parts[0]
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "object":
        if depth >= DEPTH:
            return {}
        return {name: example_of(sub, spec, depth + 1) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [example_of(schema.get("items", {}), spec, depth + 1)] if depth < DEPTH else []
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    return {"date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01", "uri": "https://example.com/"}.get(
        schema.get("format"), "string"
    )


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


class StandIn:
    """A WSGI server on a free loopback port answering every operation of `spec_file` under `base_path`
    (with `paths=False`, none: every request gets a JSON 404)."""

    def __init__(self, spec_file: str, base_path: str, paths: bool = True) -> None:
        spec = load_spec(spec_file)
        self.base_path = base_path
        self.routes = []
        for path, item in spec["paths"].items() if paths else ():
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")
            for method, operation in item.items():
                if method in METHODS:
                    self.routes.append((method.upper(), pattern, self._answer(operation, spec)))
        self.port = free_port()
        self._server = make_server("127.0.0.1", self.port, self._app, threaded=True, request_handler=QuietHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}{base_path}"

    @staticmethod
    def _answer(operation: dict, spec: dict) -> Response:
        status = sorted(operation["responses"])[0]
        documented = operation["responses"][status]
        if "$ref" in documented:
            documented = spec["components"]["responses"][documented["$ref"].rsplit("/", 1)[-1]]
        content = documented.get("content", {})
        media = next((m for m in content if "json" in m), next(iter(content), None))
        body = json.dumps(example_of(content[media].get("schema", {}), spec)) if media else ""
        headers = {"Location": "https://example.com/callback?code=fixed&state=fixed"} if status == "302" else {}
        return int(status), body, media, headers

    def _app(self, environ, start_response):
        request = Request(environ)
        path = request.path.removeprefix(self.base_path) or "/"
        for method, pattern, (status, body, media, headers) in self.routes:
            if method == request.method and pattern.match(path):
                response = Response(body, status=status, headers=headers, content_type=media)
                return response(environ, start_response)
        return Response('{"error": "not found"}', status=404, content_type="application/json")(environ, start_response)

    def start(self) -> StandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)
