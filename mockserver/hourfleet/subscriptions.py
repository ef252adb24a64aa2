"""The car share's webhook subscriptions, kept by the sandbox's webhooks under the car share's tenant."""

from __future__ import annotations

from mockserver.engine.errors import NotFound
from mockserver.engine.webhooks import Subscription, Webhooks

from . import views
from .search import SearchQuery, search


def subscribe(webhooks: Webhooks, tenant: str, body: dict) -> Subscription:
    # An event named twice is subscribed once, in the order first named.
    return webhooks.subscribe(tenant, body["Url"], tuple(dict.fromkeys(body["Events"])), body["Name"])


def find(webhooks: Webhooks, tenant: str, subscription_id: str) -> Subscription:
    found = next((s for s in webhooks.subscriptions(tenant) if s.id == subscription_id.lower()), None)
    if found is None:
        raise NotFound(f"No webhook subscription with Id '{subscription_id}'.")
    return found


def search_all(webhooks: Webhooks, tenant: str, query: SearchQuery) -> dict:
    rows = [views.subscription_view(s) for s in webhooks.subscriptions(tenant)]
    page, metadata = search(rows, views.SUBSCRIPTION_SEARCH, query)
    return {"WebhookSubscriptions": page, "Metadata": metadata}
