"""`fleetbox serve --workers N`: N uvicorn worker processes on one port, each with its own app over the shared store."""

from __future__ import annotations

import dataclasses
import json
import os

SETTINGS_VARIABLE = "FLEETBOX_WORKER_SETTINGS"


def serve_workers(settings, workers: int, options: dict) -> int:
    """Run `workers` processes; the parent only supervises (uvicorn restarts a worker that dies)."""
    import uvicorn

    # The parent has already prepared the store (--fresh, the default sandbox); workers only serve it.
    handed = dataclasses.replace(settings, fresh=False)
    fields = dataclasses.asdict(handed)
    fields["webhook_hosts"] = sorted(fields["webhook_hosts"])
    os.environ[SETTINGS_VARIABLE] = json.dumps(fields)
    uvicorn.run("mockserver.workers:worker_app", factory=True, port=settings.port, workers=workers, **options)
    return 0


def worker_app():
    """The app of one worker process, from the settings its parent handed down."""
    from .app import create_app
    from .cli import space_full_collections
    from .settings import Settings

    space_full_collections()

    fields = json.loads(os.environ[SETTINGS_VARIABLE])
    fields["webhook_hosts"] = frozenset(fields["webhook_hosts"])
    fields["webhook_retry_delays"] = tuple(fields["webhook_retry_delays"])
    return create_app(Settings(**fields))
