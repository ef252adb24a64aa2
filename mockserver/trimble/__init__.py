"""The trimble profile: Trimble Maps' fleet configuration API (assets v1), served from openapi/trimble.yaml.

`world.py` holds the profile's state and rules (with `fleet.py`, `groups.py` and `state.py`), `views.py`
its JSON shapes, `errors.py` its error format, and `handlers/` the thin functions the spec resolves to.
"""

from fixtures.trimble import build_trimble_world
from mockserver.engine.sandbox import WorldFactory
from mockserver.http.profile import Profile

from .contract import CONTRACT
from .errors import render_error
from .handlers import accounts, drivers, vehicle_groups, vehicles
from .world import load_world
from .world_build import build_world


def describe_credentials(accounts: list[dict]) -> list[str]:
    lines = []
    for account in accounts:
        customers = account.get("customerAccounts", [])
        extra = f"  customer accountIds {', '.join(str(c['accountId']) for c in customers)}" if customers else ""
        lines.append(f"{account['type']:<8} accountId {account['accountId']}  apiKey {account['apiKey']}{extra}")
    return lines


PROFILE = Profile(
    contract=CONTRACT,
    handlers=(accounts, vehicles, drivers, vehicle_groups),
    render_error=render_error,
    worlds=WorldFactory(generate=build_trimble_world, load=load_world, build=build_world),
    # ASP.NET Web API binds query parameters case-insensitively.
    query_names_any_case=True,
    describe_credentials=describe_credentials,
)
