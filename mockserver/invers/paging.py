"""Cursor paging of vehicle lists: pages ordered by vehicle id, the cursor names the last id served.

A cursor that names a position rather than an offset keeps pages consistent while sharings start and
end between requests: no vehicle is served twice, and none that stays visible is skipped.
"""

from __future__ import annotations

import base64
import binascii
import bisect
from collections.abc import Sequence

from mockserver.engine.errors import FieldError, InvalidInput

PREFIX = "v1:"


def encode(last_id: str) -> str:
    return base64.urlsafe_b64encode((PREFIX + last_id).encode()).decode().rstrip("=")


def decode(token: str) -> str:
    """The last id of the previous page; 400 naming `page_token` for anything this server did not write."""
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not text.startswith(PREFIX):
        message = "is not a next_page_token this API handed out."
        raise InvalidInput(f"page_token: {message}", (FieldError("page_token", message),))
    return text[len(PREFIX) :]


def page(ordered_ids: Sequence[str], limit: int, page_token: str | None) -> tuple[list[str], str | None]:
    """One page of `ordered_ids` (sorted) after the token's position, and the next page's token."""
    start = bisect.bisect_right(ordered_ids, decode(page_token)) if page_token else 0
    chosen = list(ordered_ids[start : start + limit])
    more = start + limit < len(ordered_ids)
    return chosen, (encode(chosen[-1]) if more and chosen else None)
