"""Profile: everything the app needs to serve one API (its error renderer is built with http/rendering.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from conformance.contract import ProfileContract
from mockserver.engine.errors import DomainError
from mockserver.engine.ratelimit import RateLimit
from mockserver.engine.sandbox import WorldFactory
from mockserver.engine.webhooks import Formatter

from .context import RequestTrace
from .rendering import Rendered, RequestFacts  # the types of `render_error`, kept importable from here


@dataclass(frozen=True)
class Profile:
    """One API served under its contract's base path from its contract's spec.

    The contract (the spec's `x-fleetbox` block) names the profile and its base path; this adds what
    the sandbox needs to serve it. `handlers` are searched, in order, for the snake_case name of each
    operationId. `worlds` is None for APIs that hold no sandbox data (the control plane).
    `query_names_any_case` accepts query parameter names in any casing, as the vendor's framework
    does; `input_names_any_case` extends that to body property names and to snake_case.
    """

    contract: ProfileContract
    handlers: tuple[ModuleType, ...]
    render_error: Callable[[DomainError, RequestFacts], Rendered]
    worlds: WorldFactory | None = None
    query_names_any_case: bool = False
    # Query, JSON-body and form-body names in any case, snake_case included (http/names.py).
    input_names_any_case: bool = False
    # Body properties also read from the query string of a POST, PUT or PATCH (http/query_input.py).
    query_string_input: bool = False
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

    @property
    def name(self) -> str:
        return self.contract.name

    @property
    def base_path(self) -> str:
        return self.contract.base_path

    @property
    def spec(self) -> Path:
        return self.contract.spec
