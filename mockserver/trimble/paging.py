"""The vendor's collection envelope: `href`, `offset`, `limit`, `size` and first/previous/next/last links."""

from __future__ import annotations

from urllib.parse import urlencode


def collection(
    items: list[dict],
    total: int,
    offset: int,
    limit: int,
    request_url: str,
    base_url: str,
    carried: dict[str, str],
) -> dict:
    """Wrap one page. `size` is the total count; `last` appears when there is more than one page.

    `carried` holds the request's other query parameters (the sort), repeated in every link so
    following `next` keeps the order.
    """

    # What urlencode writes for {"offset": at, "limit": limit, **carried}: the integers need no escaping.
    carried_query = "&" + urlencode(carried) if carried else ""

    def link(at: int) -> dict:
        return {"href": f"{base_url}?offset={at}&limit={limit}{carried_query}"}

    page: dict = {"href": request_url, "offset": offset, "limit": limit, "size": total, "first": link(0)}
    if offset > 0:
        page["previous"] = link(max(0, offset - limit))
    if offset + limit < total:
        page["next"] = link(offset + limit)
    if total > limit:
        page["last"] = link((total - 1) // limit * limit)
    page["data"] = items
    return page
