"""The control plane's answers (openapi/sandbox.yaml) as typed, frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .credentials import Credentials


def instant(text: str) -> datetime:
    """An RFC 3339 timestamp as an aware datetime (`Z` included, which Python 3.11 reads only in upper case)."""
    return datetime.fromisoformat(text.upper().replace("Z", "+00:00"))


@dataclass(frozen=True)
class ProfileInfo:
    name: str
    base_path: str


@dataclass(frozen=True)
class Health:
    status: str
    version: str
    sandboxes: int
    profiles: tuple[ProfileInfo, ...]

    @classmethod
    def of(cls, data: dict) -> Health:
        profiles = tuple(ProfileInfo(p["name"], p["basePath"]) for p in data.get("profiles", ()))
        return cls(data["status"], data["version"], data["sandboxes"], profiles)


@dataclass(frozen=True)
class Clock:
    now: datetime
    frozen: bool
    offset_seconds: float

    @classmethod
    def of(cls, data: dict) -> Clock:
        return cls(instant(data["now"]), data["frozen"], data["offsetSeconds"])


@dataclass(frozen=True)
class SandboxSummary:
    id: str
    seed: int
    size: int
    created_at: datetime
    clock: Clock

    @classmethod
    def of(cls, data: dict) -> SandboxSummary:
        return cls(data["id"], data["seed"], data["size"], instant(data["createdAt"]), Clock.of(data["clock"]))


@dataclass(frozen=True)
class Sandbox(SandboxSummary):
    """A sandbox with its credentials; `access_key` is the key a control plane started with a control token
    hands out for this sandbox alone (None from servers without one)."""

    credentials: Credentials = field(default_factory=lambda: Credentials({}))
    access_key: str | None = None

    @classmethod
    def of(cls, data: dict) -> Sandbox:
        summary = SandboxSummary.of(data)
        return cls(
            **{name: getattr(summary, name) for name in ("id", "seed", "size", "created_at", "clock")},
            credentials=Credentials(data.get("credentials", {})),
            access_key=data.get("accessKey"),
        )


@dataclass(frozen=True)
class JournalEntry:
    seq: int
    at: datetime
    profile: str
    method: str
    path: str
    query: str
    status: int
    duration_ms: float
    request_headers: dict[str, str]
    request_body: str
    response_body: str
    fault: str | None = None

    @classmethod
    def of(cls, data: dict) -> JournalEntry:
        return cls(
            data["seq"],
            instant(data["at"]),
            data["profile"],
            data["method"],
            data["path"],
            data["query"],
            data["status"],
            data["durationMs"],
            dict(data["requestHeaders"]),
            data["requestBody"],
            data["responseBody"],
            data.get("fault"),
        )


@dataclass(frozen=True)
class RateLimit:
    limit: int
    window_seconds: float

    @classmethod
    def of(cls, data: dict | None) -> RateLimit | None:
        return None if data is None else cls(data["limit"], data["windowSeconds"])

    def to_dict(self) -> dict:
        return {"limit": self.limit, "windowSeconds": self.window_seconds}


@dataclass(frozen=True)
class Fault:
    id: str
    status: int | None
    latency_ms: int
    drop: bool
    profile: str | None
    method: str | None
    path: str | None
    probability: float
    remaining: int | None

    @classmethod
    def of(cls, data: dict) -> Fault:
        return cls(
            data["id"],
            data["status"],
            data["latencyMs"],
            data["drop"],
            data["profile"],
            data["method"],
            data["path"],
            data["probability"],
            data["remaining"],
        )


@dataclass(frozen=True)
class Event:
    id: str
    seq: int
    profile: str
    type: str
    audience: str
    occurred_at: datetime
    payload: dict[str, Any]
    request_id: str | None = None

    @classmethod
    def of(cls, data: dict) -> Event:
        return cls(
            data["id"],
            data["seq"],
            data["profile"],
            data["type"],
            data["audience"],
            instant(data["occurredAt"]),
            data["payload"],
            data.get("requestId"),
        )


@dataclass(frozen=True)
class Webhook:
    id: str
    audience: str
    url: str
    events: tuple[str, ...]
    name: str

    @classmethod
    def of(cls, data: dict) -> Webhook:
        return cls(data["id"], data["audience"], data["url"], tuple(data["events"]), data["name"])


@dataclass(frozen=True)
class Attempt:
    at: datetime
    status: int | None
    error: str | None
    duration_ms: float


@dataclass(frozen=True)
class Delivery:
    id: str
    subscription_id: str
    url: str
    event_id: str
    event_type: str
    state: str
    attempts: tuple[Attempt, ...]

    @classmethod
    def of(cls, data: dict) -> Delivery:
        attempts = tuple(Attempt(instant(a["at"]), a["status"], a["error"], a["durationMs"]) for a in data["attempts"])
        return cls(
            data["id"], data["subscriptionId"], data["url"], data["eventId"], data["eventType"], data["state"], attempts
        )
