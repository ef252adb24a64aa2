"""`LiveSandbox`: one sandbox with everything a test needs and no HTTP plumbing (what the pytest plugin hands out)."""

from __future__ import annotations

from typing import Any

from .control import ControlClient, SandboxControl, SandboxError
from .journal import local_path
from .models import Event, Sandbox
from .vendors import HourfleetAccess, InversAccess, ProfileAccess, TrimbleAccess

ACCESS = {"trimble": TrimbleAccess, "invers": InversAccess, "hourfleet": HourfleetAccess}


class LiveSandbox:
    """A sandbox on a fleetbox server: `.trimble`, `.invers`, `.hourfleet` (base URL, credentials, tokens),
    `.clock`, `.faults`, `.webhooks`, `.journal`, `.events(...)`, and state export and import."""

    def __init__(self, client: ControlClient, sandbox: Sandbox) -> None:
        self.client = client
        self.data = sandbox
        self.control: SandboxControl = client.sandbox(sandbox.id)
        self.clock = self.control.clock
        self.faults = self.control.faults
        self.webhooks = self.control.webhooks
        self.journal = self.control.journal

    @classmethod
    def create(cls, client: ControlClient, **options: Any) -> LiveSandbox:
        return cls(client, client.create_sandbox(**options))

    @property
    def id(self) -> str:
        return self.data.id

    @property
    def seed(self) -> int:
        return self.data.seed

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def profiles(self) -> list[str]:
        return list(self.data.credentials.raw)

    def url(self, profile: str) -> str:
        """The base URL of a profile's API (`http://127.0.0.1:PORT/trimble/api/assets/v1`)."""
        return self.client.base_url(profile)

    def profile(self, name: str) -> ProfileAccess:
        """A profile's base URL and credentials (typed for the shipped profiles)."""
        credentials = self.data.credentials
        typed = getattr(credentials, name) if name in ACCESS else credentials[name]
        return ACCESS.get(name, ProfileAccess)(self.url(name), typed)

    @property
    def trimble(self) -> TrimbleAccess:
        return self.profile("trimble")

    @property
    def invers(self) -> InversAccess:
        return self.profile("invers")

    @property
    def hourfleet(self) -> HourfleetAccess:
        return self.profile("hourfleet")

    def events(self, audience: str | None = None, type: str | None = None, since: int | None = None) -> list[Event]:
        return self.control.events(audience, type, since)

    def export_state(self) -> dict[str, Any]:
        return self.control.export_state()

    def import_state(self, state: dict[str, Any]) -> None:
        self.data = self.control.import_state(state)

    def reset(self, seed: int | None = None, size: int | None = None) -> None:
        self.data = self.control.reset(seed, size)

    def delete(self) -> None:
        """Remove the sandbox (one already gone is no problem)."""
        try:
            self.control.delete()
        except SandboxError as error:
            if error.status != 404:
                raise

    def last_exchanges(self, count: int = 10, body_chars: int = 300) -> str:
        """The sandbox's latest vendor-API exchanges, for a person reading a failed test's report."""
        entries = self.journal.entries(limit=count)
        if not entries:
            return "(the sandbox's vendor APIs received no request)"
        lines = []
        for entry in entries:
            query = f"?{entry.query}" if entry.query else ""
            where = local_path(entry, self.client.base_paths)
            fault = f"  [fault: {entry.fault}]" if entry.fault else ""
            lines.append(f"#{entry.seq} {entry.profile} {entry.method} {where}{query} -> {entry.status}{fault}")
            for arrow, body in (("  >", entry.request_body.strip()), ("  <", entry.response_body.strip())):
                if body:
                    cut = body if len(body) <= body_chars else body[:body_chars] + f"... ({len(body)} characters)"
                    lines.append(f"{arrow} {cut}")
        return "\n".join(lines)
