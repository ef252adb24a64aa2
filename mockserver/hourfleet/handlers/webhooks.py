"""/webhooks/subscriptions: subscribe, list, read and unsubscribe (deliveries come from the engine)."""

from __future__ import annotations

from ..search import embeds_of
from . import cached, created, no_content, search_query, session


def search_webhook_subscriptions(
    token_info: dict, Embed: str | None = None, Sort=None, Filter=None, Limit=0, Offset=0, Distinct=None
):
    world, caller = session(token_info)
    embeds_of(Embed, "WebhookSubscription", (), single=False)
    return cached(
        world,
        caller,
        ("webhooks",),
        lambda: world.search_subscriptions(search_query(Sort, Filter, Limit, Offset, Distinct)),
    )


def get_webhook_subscription(token_info: dict, Id: str, Embed: str | None = None):
    world, caller = session(token_info)
    embeds_of(Embed, "WebhookSubscription", (), single=True)
    return cached(world, caller, (f"webhook:{Id.lower()}",), lambda: world.get_subscription(Id))


def create_webhook_subscription(token_info: dict, body: dict):
    world, _ = session(token_info)
    subscription = world.subscribe(body)
    return created(subscription, f"/webhooks/subscriptions/{subscription['WebhookSubscription']['Id']}")


def delete_webhook_subscription(token_info: dict, Id: str):
    world, _ = session(token_info)
    world.unsubscribe(Id)
    return no_content()
