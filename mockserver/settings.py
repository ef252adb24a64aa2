"""Settings: how one fleetbox server is configured (from the command line or a test)."""

from __future__ import annotations

from dataclasses import dataclass

from .defaults import DEFAULT_MAX_BODY_BYTES, DEFAULT_SEED, DEFAULT_SIZE, MAX_SIZE
from .engine.registry import MAX_SANDBOXES
from .engine.webhooks import RETRY_DELAYS


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    seed: int = DEFAULT_SEED
    size: int = DEFAULT_SIZE
    # Off when serving: validating every response costs more than it finds. The tests prove the
    # responses valid with Schemathesis instead; turn it on to debug a handler.
    validate_responses: bool = False
    max_sandboxes: int = MAX_SANDBOXES
    # The biggest `size` a sandbox may be created or reset with (engine/registry.py).
    max_size: int = MAX_SIZE
    access_log: bool = False
    # Hosts beyond loopback that webhooks may call (see engine/webhooks.py).
    webhook_hosts: frozenset[str] = frozenset()
    # Real seconds before each retry of a failed webhook delivery.
    webhook_retry_delays: tuple[float, ...] = RETRY_DELAYS
    # The longest request body a vendor API reads (http/body_limit.py); longer ones get a 413.
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    # Where sandboxes are kept (engine/store): "memory" (nothing written), sqlite:///PATH or redis://HOST:PORT/DB.
    # Tests and embedded servers default to memory; `fleetbox serve` defaults to a local SQLite file.
    store: str = "memory"
    # Start over: forget every sandbox the store holds before serving.
    fresh: bool = False
    # The bearer every control-plane call then needs (control/access.py); None keeps it open.
    control_token: str | None = None
