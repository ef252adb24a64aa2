"""The headers on every invers response: the flow id, and the API client's quota counters when it has one."""

from __future__ import annotations

import math

from mockserver.http.context import RequestTrace

FLOW_ID = "X-INVERS-Flow-ID"


def response_headers(trace: RequestTrace) -> list[tuple[str, str]]:
    headers = [(FLOW_ID, trace.request_id)]
    rate = trace.rate
    if rate is not None:
        headers += [
            ("X-Rate-Limit-Limit", str(rate.limit)),
            ("X-Rate-Limit-Remaining", str(rate.remaining)),
            # UTC epoch seconds, rounded up: the window is over by then.
            ("X-Rate-Limit-Reset", str(math.ceil(rate.resets_at.timestamp()))),
        ]
    return headers
