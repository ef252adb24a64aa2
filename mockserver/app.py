"""create_app: one Connexion FlaskApp serving every profile and the control plane over one registry."""

from __future__ import annotations

import logging

import connexion
from connexion.middleware import ConnexionMiddleware, MiddlewarePosition
from connexion.middleware.request_validation import RequestValidationMiddleware

from conformance.contract import load_spec

from .control.access import control_security_map, served_spec
from .control.spec import control_spec
from .dashboard import Dashboard
from .engine.errors import Conflict
from .engine.registry import DEFAULT_SANDBOX, SandboxRegistry
from .engine.store import open_store
from .engine.webhooks import Dispatcher
from .http.body_limit import BodyLimit
from .http.context import NOTES_KEY, PROFILES_KEY, REGISTRY_KEY, ROUTES_KEY
from .http.dispatch import Dispatch
from .http.envelope import EnvelopeMiddleware
from .http.errors import ErrorDispatcher
from .http.faults import FaultMiddleware
from .http.jsonify import JSONIFIER
from .http.names import AnyCaseInput, input_names
from .http.names import any_case as any_case_fold
from .http.operations import ProfileResolver
from .http.prepared_validation import PreparedRequestValidation
from .http.profile import Profile
from .http.query_input import QueryInput, query_input_names
from .http.resolver import find_handler
from .http.routes import HTTP_METHODS, DeclaredMethodsOnly, RouteTable
from .http.security import bearer_security_map
from .http.spec_check import install as check_specs_quickly
from .http.swagger_ui import UI_OPTIONS, serve_swagger_ui_on_its_paths
from .http.validation import VALIDATORS
from .profiles import CONTROL, vendor_profiles
from .settings import Settings
from .spec_copies import install as copy_specs_quickly

# Connexion warns on every request to an operation that reads two media types (JSON and form), which
# is how the spec says a vendor accepts both; the warning says nothing anyone can act on.
logging.getLogger("connexion.operations.openapi3").setLevel(logging.ERROR)


def check_handlers(profile: Profile, spec: dict) -> None:
    """Resolve every operationId now, so a missing handler stops start-up instead of a request."""
    for item in spec.get("paths", {}).values():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                find_handler(operation["operationId"], profile.handlers)


def without_required_headers(spec: dict) -> dict:
    """`spec` with no response header required, for Connexion's response validation only.

    The envelope adds a profile's headers (`Profile.response_headers`) after that validation has seen
    the response, so it would refuse every one; the file keeps them required for clients and Schemathesis.
    """
    holders = [
        response
        for item in spec.get("paths", {}).values()
        for method, operation in item.items()
        if method in HTTP_METHODS
        for response in operation.get("responses", {}).values()
    ]
    for headers in [spec.get("components", {}).get("headers", {}), *(r.get("headers", {}) for r in holders)]:
        for header in headers.values():
            header.pop("required", None)
    return spec


def with_also_accepted_media_types(spec: dict) -> dict:
    """`spec` with each request body's `x-fleetbox-also-accepts` media types served like its first one.

    The file documents a second media type there rather than in `content` where client generators
    cannot cope with two (hourfleet's form-bodied OAuth endpoints also read JSON, like every other).
    """
    for item in spec.get("paths", {}).values():
        for method, operation in item.items():
            body = operation.get("requestBody", {}) if method in HTTP_METHODS else {}
            if body.get("x-fleetbox-also-accepts"):
                documented = next(iter(body["content"].values()))
                body["content"].update({media: documented for media in body["x-fleetbox-also-accepts"]})
    return spec


def create_app(settings: Settings | None = None, profiles: tuple[Profile, ...] | None = None) -> connexion.FlaskApp:
    """The whole server: every vendor profile (by default every one installed), the control plane, and a
    `default` sandbox."""
    settings = settings or Settings()
    profiles = vendor_profiles() if profiles is None else profiles
    check_specs_quickly()
    copy_specs_quickly()
    registry = SandboxRegistry(
        {p.name: p.worlds for p in profiles},
        store=open_store(settings.store),
        max_sandboxes=settings.max_sandboxes,
        max_size=max(settings.max_size, settings.size),
        rate_limits={p.name: p.default_rate_limit for p in profiles if p.default_rate_limit},
        webhook_formatters={p.name: p.webhook_formatter for p in profiles if p.webhook_formatter},
        dispatcher=Dispatcher(settings.webhook_retry_delays),
        webhook_hosts=frozenset(host.lower() for host in settings.webhook_hosts),
    )
    app_notes = prepare_default_sandbox(registry, settings)

    served = [(profile, with_also_accepted_media_types(load_spec(profile.spec))) for profile in profiles]
    contracts = tuple(profile.contract for profile in profiles)
    served.append((CONTROL, served_spec(control_spec(contracts), settings.control_token)))
    if settings.validate_responses:
        served = [(p, without_required_headers(spec) if p.response_headers else spec) for p, spec in served]
    for profile, spec in served:
        check_handlers(profile, spec)

    app = connexion.FlaskApp(
        __name__,
        jsonifier=JSONIFIER,
        # Handlers take parameters under the spec's own names: converting every name to snake_case
        # on every request cost ~9% of a request's CPU time.
        pythonic_params=False,
        validate_responses=settings.validate_responses,
        validator_map=VALIDATORS,
        middlewares=[
            PreparedRequestValidation if middleware is RequestValidationMiddleware else middleware
            for middleware in ConnexionMiddleware.default_middlewares
        ],
        swagger_ui_options=UI_OPTIONS,
    )
    for profile, spec in served:
        app.add_api(
            spec,
            base_path=profile.base_path,
            name=profile.name,
            resolver=ProfileResolver(profile, spec),
            security_map=(
                bearer_security_map(registry, profile.name)
                if profile.worlds
                else control_security_map(registry, settings.control_token)
            ),
        )

    routes = RouteTable(served)
    ErrorDispatcher(routes, fallback=CONTROL).install(app)
    app.add_middleware(
        EnvelopeMiddleware,
        position=MiddlewarePosition.BEFORE_EXCEPTION,
        routes=routes,
        vendors=frozenset(profile.name for profile in profiles),
    )
    # The dashboard's page and files at `/`, outside everything the APIs need.
    app.add_middleware(Dashboard, position=MiddlewarePosition.BEFORE_EXCEPTION)
    app.add_middleware(
        FaultMiddleware,
        position=MiddlewarePosition.BEFORE_SWAGGER,
        routes=routes,
        registry=registry,
        vendors=frozenset(profile.name for profile in profiles),
    )
    app.add_middleware(
        BodyLimit,
        position=MiddlewarePosition.BEFORE_SWAGGER,
        routes=routes,
        limited_base_paths=tuple(profile.base_path + "/" for profile in profiles),
        max_bytes=settings.max_body_bytes,
    )
    any_case = {
        p.base_path: input_names(spec, bodies=p.input_names_any_case)
        for p, spec in served
        if p.query_names_any_case or p.input_names_any_case
    }
    if any_case:
        app.add_middleware(AnyCaseInput, position=MiddlewarePosition.BEFORE_ROUTING, names_by_base_path=any_case)
    # Added after AnyCaseInput, so inside it: bodies reach it with their names already the spec's.
    query_input = {
        p.base_path: query_input_names(spec, any_case_fold if p.input_names_any_case else str)
        for p, spec in served
        if p.query_string_input
    }
    if query_input:
        app.add_middleware(QueryInput, position=MiddlewarePosition.BEFORE_ROUTING, names_by_base_path=query_input)
    strict = tuple(p.base_path for p in profiles if p.declared_methods_only)
    if strict:
        app.add_middleware(
            DeclaredMethodsOnly, position=MiddlewarePosition.BEFORE_ROUTING, routes=routes, base_paths=strict
        )

    # After the middlewares placed relative to Connexion's Swagger UI middleware have found it.
    serve_swagger_ui_on_its_paths(app)
    # Connexion's middleware routes, authenticates and validates; the handlers are called without Flask.
    app._middleware_app.asgi_app = Dispatch(app.app.extensions, JSONIFIER)
    # So Flask gets no blueprints: their Werkzeug rules (one compiled per operation when the first request
    # builds the middleware stack) were about half of that first request's CPU time, and no request reads them.
    app._middleware_app.add_api = lambda *args, **kwargs: None
    app.app.extensions[REGISTRY_KEY] = registry
    app.app.extensions[PROFILES_KEY] = list(profiles)
    app.app.extensions[ROUTES_KEY] = routes
    app.app.extensions[NOTES_KEY] = app_notes
    return app


def prepare_default_sandbox(registry: SandboxRegistry, settings: Settings) -> list[str]:
    """Start over if asked; create the default sandbox unless the store holds it. Notes for the banner."""
    if settings.fresh:
        for sandbox_id in registry.store.ids():
            registry.store.delete(sandbox_id)
    try:
        registry.create(DEFAULT_SANDBOX, seed=settings.seed, size=settings.size)
        return []
    except Conflict:
        pass  # kept in the store (or created by another worker a moment ago): serve it as it is
    default = registry.get(DEFAULT_SANDBOX)
    if (default.seed, default.size) == (settings.seed, settings.size):
        return []
    return [
        f"The store keeps the default sandbox with seed {default.seed} and size {default.size}; "
        f"--seed {settings.seed} --size {settings.size} were not applied. To start over with them: "
        "fleetbox serve --fresh (forgets every sandbox), or POST /__sandbox/sandboxes/default/reset "
        f'with {{"seed": {settings.seed}, "size": {settings.size}}}.'
    ]
