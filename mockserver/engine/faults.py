"""Faults: misbehaviour a sandbox puts on purpose into its vendor APIs, so clients can test their retry
and timeout logic: answer with an error status, answer late, or drop the connection mid-response.

A fault is a rule of one sandbox (set through the control plane, optionally for one profile, method or
path pattern, a number of times, with a probability), or comes with a single request in the
`X-Fleetbox-Fault` header (`status=503`, `latency=250`, `drop`, comma-separated).
"""

from __future__ import annotations

import fnmatch
import random
import threading
import uuid
from dataclasses import dataclass, replace

from .errors import InvalidInput

HEADER = "x-fleetbox-fault"
MAX_LATENCY_MS = 30_000


@dataclass(frozen=True)
class Fault:
    """What to do to a matching request; `remaining` counts down to 0 (None: no end)."""

    id: str
    status: int | None = None
    latency_ms: int = 0
    drop: bool = False
    profile: str | None = None
    method: str | None = None
    path: str | None = None
    probability: float = 1.0
    remaining: int | None = None

    def matches(self, profile: str, method: str, path: str) -> bool:
        return (
            (self.profile is None or self.profile == profile)
            and (self.method is None or self.method.upper() == method)
            and (self.path is None or fnmatch.fnmatchcase(path, self.path))
        )

    def describe(self) -> str:
        parts = ([f"status {self.status}"] if self.status else []) + (
            [f"latency {self.latency_ms} ms"] if self.latency_ms else []
        )
        return ", ".join(parts + (["dropped"] if self.drop else []))

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "status": self.status,
            "latencyMs": self.latency_ms,
            "drop": self.drop,
            "profile": self.profile,
            "method": self.method,
            "path": self.path,
            "probability": self.probability,
            "remaining": self.remaining,
        }

    @classmethod
    def from_dict(cls, data: dict, fault_id: str | None = None) -> Fault:
        return cls(
            id=fault_id or data.get("id") or str(uuid.uuid4()),
            status=data.get("status"),
            latency_ms=data.get("latencyMs", 0),
            drop=data.get("drop", False),
            profile=data.get("profile"),
            method=(data.get("method") or "").upper() or None,
            path=data.get("path"),
            probability=data.get("probability", 1.0),
            remaining=data.get("times", data.get("remaining")),
        )


class FaultBook:
    """One sandbox's fault rules, first match wins."""

    def __init__(self) -> None:
        self._faults: dict[str, Fault] = {}
        self._lock = threading.Lock()
        self._random = random.Random()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults[fault.id] = fault
        return fault

    def remove(self, fault_id: str) -> bool:
        with self._lock:
            return self._faults.pop(fault_id, None) is not None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def all(self) -> list[Fault]:
        with self._lock:
            return list(self._faults.values())

    def match(self, profile: str, method: str, path: str) -> Fault | None:
        """The first rule matching the request, without using it."""
        with self._lock:
            for fault in self._faults.values():
                if fault.remaining != 0 and fault.matches(profile, method, path):
                    return fault
        return None

    def take(self, profile: str, method: str, path: str, dice: random.Random | None = None) -> Fault | None:
        """The first rule matching the request (counting one use of it), if its dice say so."""
        with self._lock:
            for fault in self._faults.values():
                if fault.remaining != 0 and fault.matches(profile, method, path):
                    if (dice or self._random).random() >= fault.probability:
                        return None
                    if fault.remaining is not None:
                        self._faults[fault.id] = replace(fault, remaining=fault.remaining - 1)
                    return fault
        return None


def from_header(value: str) -> Fault:
    """Read `X-Fleetbox-Fault: status=503, latency=250, drop`; `InvalidInput` if it cannot be read."""
    status, latency, drop = None, 0, False
    for item in filter(None, (part.strip().lower() for part in value.split(","))):
        name, _, setting = item.partition("=")
        try:
            if name == "status" and 400 <= int(setting) <= 599:
                status = int(setting)
            elif name == "latency" and 0 <= int(setting) <= MAX_LATENCY_MS:
                latency = int(setting)
            elif name == "drop" and not setting:
                drop = True
            else:
                raise ValueError(item)
        except ValueError:
            raise InvalidInput(
                f"X-Fleetbox-Fault: cannot use {item!r} (use status=400..599, latency=0..{MAX_LATENCY_MS}, drop)"
            ) from None
    return Fault(id="request", status=status, latency_ms=latency, drop=drop)
