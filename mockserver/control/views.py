"""The control plane's JSON shapes for sandboxes and clocks."""

from __future__ import annotations

from datetime import datetime

from mockserver.engine.clock import VirtualClock
from mockserver.engine.sandbox import Sandbox


def rfc3339(instant: datetime) -> str:
    return instant.isoformat().replace("+00:00", "Z")


def clock_view(clock: VirtualClock) -> dict:
    return {"now": rfc3339(clock.now()), "frozen": clock.frozen, "offsetSeconds": round(clock.offset_seconds(), 3)}


def sandbox_summary(sandbox: Sandbox) -> dict:
    return {
        "id": sandbox.id,
        "seed": sandbox.seed,
        "size": sandbox.size,
        "createdAt": rfc3339(sandbox.created_at),
        "clock": clock_view(sandbox.clock),
    }


def sandbox_view(sandbox: Sandbox) -> dict:
    """A sandbox with its credentials, keyed by profile name, and its access key (control/access.py).

    Only callers holding the control token or this very key get here when the server has a token.
    """
    credentials = {name: world.credentials() for name, world in sandbox.worlds.items()}
    return {**sandbox_summary(sandbox), "credentials": credentials, "accessKey": sandbox.access_key}
