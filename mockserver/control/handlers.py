"""Handlers of openapi/sandbox.yaml. Every answer names its content type: the spec declares JSON for
successes and problem+json for errors, and Connexion cannot pick between them on its own."""

from __future__ import annotations

import uuid
from datetime import datetime

from connexion import NoContent

from mockserver import __version__
from mockserver.engine.errors import InvalidInput, NotFound
from mockserver.engine.faults import Fault
from mockserver.engine.ratelimit import RateLimit
from mockserver.http.context import current_profiles, current_registry
from mockserver.http.dispatch import off_the_loop

from .views import clock_view, sandbox_summary, sandbox_view

JSON = {"Content-Type": "application/json"}


def get_health():
    profiles = [{"name": p.name, "basePath": p.base_path} for p in current_profiles()]
    body = {"status": "ok", "version": __version__, "sandboxes": current_registry().count(), "profiles": profiles}
    return body, 200, JSON


def list_sandboxes():
    return {"sandboxes": [sandbox_summary(s) for s in current_registry().all()]}, 200, JSON


@off_the_loop
def create_sandbox(body: dict | None = None):
    body = body or {}
    sandbox = current_registry().create(body.get("id"), **{k: body[k] for k in ("seed", "size") if k in body})
    return sandbox_view(sandbox), 201, {**JSON, "Location": f"/__sandbox/sandboxes/{sandbox.id}"}


def get_sandbox(sandboxId: str):
    return sandbox_view(current_registry().get(sandboxId)), 200, JSON


def delete_sandbox(sandboxId: str):
    current_registry().delete(sandboxId)
    return NoContent, 204


@off_the_loop
def reset_sandbox(sandboxId: str, body: dict | None = None):
    body = body or {}
    sandbox = current_registry().reset(sandboxId, body.get("seed"), body.get("size"))
    return sandbox_view(sandbox), 200, JSON


def get_clock(sandboxId: str):
    return clock_view(current_registry().get(sandboxId).clock), 200, JSON


def set_clock(sandboxId: str, body: dict):
    sandbox = current_registry().get(sandboxId)
    sandbox.set_clock(_instant(body["now"]), frozen=body.get("frozen", False))
    return clock_view(sandbox.clock), 200, JSON


def advance_clock(sandboxId: str, body: dict):
    sandbox = current_registry().get(sandboxId)
    sandbox.advance_clock(body["seconds"])
    return clock_view(sandbox.clock), 200, JSON


def get_journal(sandboxId: str, since: int = 0, limit: int = 1000, profile: str | None = None):
    entries = current_registry().get(sandboxId).journal.entries(since, limit, profile)
    return {"entries": [entry.to_dict() for entry in entries]}, 200, JSON


def clear_journal(sandboxId: str):
    current_registry().get(sandboxId).journal.clear()
    return NoContent, 204


def get_rate_limits(sandboxId: str):
    return _limits_view(current_registry().get(sandboxId)), 200, JSON


def set_rate_limits(sandboxId: str, body: dict):
    sandbox = current_registry().get(sandboxId)
    unknown = set(body) - set(sandbox.worlds)
    if unknown:
        raise InvalidInput(
            f"No such profile: {', '.join(sorted(unknown))} (this server serves {', '.join(sandbox.worlds)})."
        )
    for profile, limit in body.items():
        sandbox.configure_rate_limit(profile, RateLimit(limit["limit"], limit["windowSeconds"]) if limit else None)
    return _limits_view(sandbox), 200, JSON


def _limits_view(sandbox) -> dict:
    configured = sandbox.rate_limits.limits()
    return {name: (configured[name].to_dict() if name in configured else None) for name in sandbox.worlds}


def get_events(sandboxId: str, audience: str | None = None, type: str | None = None, since: int = 0, limit: int = 5000):
    events = current_registry().get(sandboxId).events.events(audience, type, since, limit)
    return {"events": [event.to_dict() for event in events]}, 200, JSON


def list_webhooks(sandboxId: str):
    subscriptions = current_registry().get(sandboxId).webhooks.subscriptions()
    return {"webhooks": [s.to_dict() for s in subscriptions]}, 200, JSON


def create_webhook(sandboxId: str, body: dict):
    sandbox = current_registry().get(sandboxId)
    subscription = sandbox.subscribe(body["audience"], body["url"], tuple(body.get("events", ())), body.get("name", ""))
    location = f"/__sandbox/sandboxes/{sandboxId}/webhooks/{subscription.id}"
    return subscription.to_dict(), 201, {**JSON, "Location": location}


def delete_webhook(sandboxId: str, webhookId: str):
    if not current_registry().get(sandboxId).unsubscribe(webhookId):
        raise NotFound(f"No webhook with id '{webhookId}' in sandbox '{sandboxId}'.")
    return NoContent, 204


def get_deliveries(sandboxId: str, subscription: str | None = None):
    deliveries = current_registry().get(sandboxId).webhooks.deliveries(subscription)
    return {"deliveries": [d.to_dict() for d in deliveries]}, 200, JSON


# What GET .../amqp answers for a server started without --amqp.
AMQP_DISABLED = {
    "enabled": False,
    "url": None,
    "connected": False,
    "consumerUsers": False,
    "pending": 0,
    "published": 0,
    "dropped": 0,
    "lastError": None,
}


def get_amqp_status(sandboxId: str):
    buses = list(current_registry().get(sandboxId).event_buses.values())
    return (buses[0].status() if buses else AMQP_DISABLED), 200, JSON


def list_faults(sandboxId: str):
    return {"faults": [f.to_dict() for f in current_registry().get(sandboxId).faults.all()]}, 200, JSON


def create_fault(sandboxId: str, body: dict):
    sandbox = current_registry().get(sandboxId)
    if body.get("profile") is not None and body["profile"] not in sandbox.worlds:
        raise InvalidInput(f"No such profile: {body['profile']} (this server serves {', '.join(sandbox.worlds)}).")
    fault = sandbox.add_fault(Fault.from_dict(body, fault_id=str(uuid.uuid4())))
    return fault.to_dict(), 201, {**JSON, "Location": f"/__sandbox/sandboxes/{sandboxId}/faults/{fault.id}"}


def clear_faults(sandboxId: str):
    current_registry().get(sandboxId).clear_faults()
    return NoContent, 204


def delete_fault(sandboxId: str, faultId: str):
    if not current_registry().get(sandboxId).remove_fault(faultId):
        raise NotFound(f"No fault with id '{faultId}' in sandbox '{sandboxId}'.")
    return NoContent, 204


def export_state(sandboxId: str):
    return current_registry().export_state(sandboxId), 200, JSON


@off_the_loop
def import_state(sandboxId: str, body: dict):
    return sandbox_view(current_registry().import_state(sandboxId, body)), 200, JSON


def _instant(text: str) -> datetime:
    """An RFC 3339 timestamp (the spec checks the form; this reads it, leap seconds aside)."""
    try:
        return datetime.fromisoformat(text.upper())
    except ValueError as error:
        raise InvalidInput(f"'{text}' is not a timestamp fleetbox can use.") from error
