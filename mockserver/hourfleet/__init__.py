"""The hourfleet profile: Hourfleet's car-sharing APIs (ServiceStack), served from openapi/hourfleet.yaml.

`world.py` holds the profile's state and rules (with `bookings.py`, `cars.py`, `oauth.py`, `search.py`,
`state.py` and `subscriptions.py`), `views.py` its JSON shapes, `errors.py` its error format, `events.py`
its events' webhook format, and `handlers/` the thin functions the spec resolves to.
"""

from __future__ import annotations

from fixtures.hourfleet import build_hourfleet_world
from mockserver.engine.ratelimit import RateLimit
from mockserver.engine.sandbox import WorldFactory
from mockserver.http.profile import Profile

from .contract import CONTRACT
from .errors import render_error
from .events import webhook_formatter

# Aliased, so the package's names `bookings`, `cars` and `oauth` stay its rule modules of those names.
from .handlers import bookings as booking_handlers
from .handlers import cars as car_handlers
from .handlers import oauth as oauth_handlers
from .handlers import useraccounts, webhooks
from .world import load_world
from .world_build import build_world

# Generous enough for Schemathesis and the suite; the control plane lowers it per sandbox.
DEFAULT_RATE_LIMIT = RateLimit(limit=10_000, window_seconds=60)


def describe_credentials(credentials: dict) -> list[str]:
    lines = [
        f"client    client_id {c['client_id']}  client_secret {c['client_secret']}  redirect_uri {c['redirect_uri']}"
        for c in credentials["client_applications"]
    ]
    lines += [f"{u['role']:<9} username {u['username']}  password {u['password']}" for u in credentials["users"][:4]]
    if len(credentials["users"]) > 4:
        lines.append(f"          ... and {len(credentials['users']) - 4} more users (GET /__sandbox/sandboxes/default)")
    return lines


PROFILE = Profile(
    contract=CONTRACT,
    handlers=(oauth_handlers, useraccounts, car_handlers, booking_handlers, webhooks),
    render_error=render_error,
    worlds=WorldFactory(generate=build_hourfleet_world, load=load_world, build=build_world),
    # ServiceStack binds names in any case, and (with its lenient convention) in snake_case.
    input_names_any_case=True,
    # ServiceStack fills a request DTO from the query string as well as the body.
    query_string_input=True,
    declared_methods_only=True,
    # ServiceStack writes every service's answer as JSON, XML, CSV, JSV or HTML.
    formats=("json", "xml", "csv", "jsv", "html"),
    default_rate_limit=DEFAULT_RATE_LIMIT,
    webhook_formatter=webhook_formatter,
    describe_credentials=describe_credentials,
)
