"""A typed Python client of fleetbox's control plane (openapi/sandbox.yaml), usable in any script or test.

    from conformance.client import ControlClient

    with ControlClient("http://127.0.0.1:8080") as fleetbox:
        sandbox = fleetbox.create_sandbox(seed=7, size=20)
        key = sandbox.credentials.trimble.direct.api_key
        control = fleetbox.sandbox(sandbox.id)
        control.clock.advance(minutes=61)
        control.journal.assert_requested("POST", "/vehicles", profile="trimble", times=0)

It speaks HTTP only (like the rest of `conformance/`), so it works against any fleetbox server or container.
"""

from .control import ControlClient, SandboxControl, SandboxError, control_url
from .credentials import Credentials, HourfleetCredentials, InversCredentials, TrimbleCredentials
from .live import LiveSandbox
from .models import Clock, Delivery, Event, Fault, Health, JournalEntry, RateLimit, Sandbox, SandboxSummary, Webhook
from .vendors import VendorError

__all__ = [
    "Clock",
    "ControlClient",
    "Credentials",
    "Delivery",
    "Event",
    "Fault",
    "Health",
    "HourfleetCredentials",
    "InversCredentials",
    "JournalEntry",
    "LiveSandbox",
    "RateLimit",
    "Sandbox",
    "SandboxControl",
    "SandboxError",
    "SandboxSummary",
    "TrimbleCredentials",
    "VendorError",
    "Webhook",
    "control_url",
]
