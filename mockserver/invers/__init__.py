"""The invers profile: INVERS OneAPI's Vehicle Management API with FleetShare, served from openapi/invers.yaml.

`world.py` holds the profile's state and rules (with `access.py`, `commands.py`, `sharing.py`,
`master_data.py`, `paging.py` and `state.py`), `views.py` its JSON shapes, `errors.py` its problem
documents, `headers.py` the headers of every response, `events.py` its events and their webhook format,
and `handlers/` the thin functions the spec resolves to.
"""

from fixtures.invers import build_invers_world
from mockserver.engine.ratelimit import RateLimit
from mockserver.engine.sandbox import WorldFactory
from mockserver.http.profile import Profile

from . import events
from .contract import CONTRACT
from .errors import render_error
from .events import webhook_formatter
from .handlers import auth, fleet_share, vehicle_commands, vehicles
from .headers import response_headers
from .world import load_world
from .world_build import build_world

# Per API client, on the sandbox clock: generous enough that no test or check meets it unless it
# sets a smaller one through the control plane (the vendor documents no figure).
DEFAULT_RATE_LIMIT = RateLimit(limit=6000, window_seconds=60)


def describe_credentials(clients: list[dict]) -> list[str]:
    lines = []
    for c in clients:
        lines.append(
            f"fleet {c['fleet_id']} ({c['name']})  client_id {c['client_id']}  client_secret {c['client_secret']}"
        )
        if "event_consumer" in c:
            consumer = c["event_consumer"]
            queues = f"{consumer['queues'][events.VEHICLE_CHANGED].rsplit('.', 1)[0]}.<topic>"
            lines.append(f"    events: {consumer['url']}  queues {queues}")
    return lines


PROFILE = Profile(
    contract=CONTRACT,
    handlers=(auth, vehicles, vehicle_commands, fleet_share),
    render_error=render_error,
    worlds=WorldFactory(generate=build_invers_world, load=load_world, build=build_world),
    response_headers=response_headers,
    default_rate_limit=DEFAULT_RATE_LIMIT,
    webhook_formatter=webhook_formatter,
    describe_credentials=describe_credentials,
)
