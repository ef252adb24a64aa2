"""Expectations that say what was expected when they fail (the report shows the sentence as is)."""

from __future__ import annotations

import re
from typing import Any

import httpx

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def status(response: httpx.Response, *expected: int) -> None:
    if response.status_code not in expected:
        wanted = " or ".join(map(str, expected))
        raise AssertionError(
            f"expected HTTP {wanted} from {response.request.method} {response.request.url.path}, got "
            f"{response.status_code}"
        )


def json_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise AssertionError(
            f"expected a JSON body from {response.request.method} {response.request.url.path}, got "
            f"{response.text[:120]!r}"
        ) from None


def equal(actual: Any, expected: Any, what: str) -> None:
    if actual != expected:
        raise AssertionError(f"expected {what} to be {expected!r}, got {actual!r}")


def true(condition: bool, sentence: str) -> None:
    """`sentence` states what should hold, e.g. 'the vehicle is listed'."""
    if not condition:
        raise AssertionError(f"expected: {sentence}")
