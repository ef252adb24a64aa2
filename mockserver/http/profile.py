"""Profile: everything the app needs to serve one API, and the types its error renderer works with."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable

from mockserver.engine.errors import DomainError
from mockserver.engine.ratelimit import RateLimit
from mockserver.engine.sandbox import WorldFactory
from mockserver.engine.webhooks import Formatter

from .context import RequestTrace


@dataclass(frozen=True)
class RequestFacts:
    """What an error renderer may need to know about the request it answers."""

    method: str
    url: str
    path: str
    content_type: str
    # None for requests outside the vendor APIs (the control plane, unknown paths).
    trace: RequestTrace | None = None


@dataclass(frozen=True)
class Rendered:
    """An error turned into a response: status, JSON body, content type and extra headers."""

    status: int
    body: dict
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Profile:
    """One API served under `base_path` from `openapi/<spec>`.

    `handlers` are searched, in order, for the snake_case name of each operationId. `worlds` is
    None for APIs that hold no sandbox data (the control plane). `query_names_any_case` accepts
    query parameter names in any casing, as the vendor's framework does; `input_names_any_case`
    extends that to body property names and to snake_case.
    """

    name: str
    spec: str
    base_path: str
    handlers: tuple[ModuleType, ...]
    render_error: Callable[[DomainError, RequestFacts], Rendered]
    worlds: WorldFactory | None = None
    query_names_any_case: bool = False
    # Query, JSON-body and form-body names in any case, snake_case included (http/names.py).
    input_names_any_case: bool = False
    # Refuse every method the spec does not declare for a path, HEAD and OPTIONS included.
    declared_methods_only: bool = False
    # The response formats the API writes (http/formats.py), JSON first; with more than JSON, every
    # operation behind its token answers in the one a `format` parameter or the `Accept` header chooses.
    formats: tuple[str, ...] = ("json",)
    # Headers the profile adds to every response of its API (flow ids, rate-limit counters).
    response_headers: Callable[[RequestTrace], list[tuple[str, str]]] | None = None
    # The quota every sandbox starts with for this profile (the control plane can change it).
    default_rate_limit: RateLimit | None = None
    # How the vendor's webhook deliveries look (headers and body); None if the profile raises no events.
    webhook_formatter: Formatter | None = None
    # Lines the start-up banner prints for a sandbox's credentials of this profile.
    describe_credentials: Callable[[Any], list[str]] | None = None
