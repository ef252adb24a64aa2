"""The one error-renderer skeleton: each profile gives its table, templates and body shape as data.

A profile's renderer is an `ErrorRenderer` built from
- a table: each kind of error -> the status and the vendor's code for it (an ErrorCode, a problem type),
- templates: the vendor's wording of the message for the kinds it words its own way,
- a body builder: the vendor's JSON shape around status, code, message and field errors.
Headers that go with a kind of error whoever renders it (`Retry-After`, `Allow`) are added here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mockserver.engine.errors import (
    DOMAIN_KINDS,
    DomainError,
    FieldError,
    InjectedFault,
    InternalError,
    MethodNotAllowed,
    RateLimited,
    Unavailable,
)

from .context import RequestTrace

logger = logging.getLogger("fleetbox")
# Seconds an injected 429 asks the client to wait: the specs require Retry-After on every 429, and a
# fault has no quota window to count it from.
INJECTED_RETRY_AFTER = 1


@dataclass(frozen=True)
class RequestFacts:
    """What an error renderer may need to know about the request it answers."""

    method: str
    url: str
    path: str
    content_type: str
    # None for requests outside the vendor APIs (the control plane, unknown paths).
    trace: RequestTrace | None = None

    @property
    def media_type(self) -> str:
        """The content type without its parameters (`text/plain; charset=utf-8` -> `text/plain`); "" if none."""
        return self.content_type.split(";")[0].strip()


@dataclass(frozen=True)
class Rendered:
    """An error turned into a response: status, JSON body, content type and extra headers."""

    status: int
    body: dict
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """How a vendor answers one kind of error: its status and the vendor's code for it.

    `status` None means the error carries its own (`InjectedFault.status`). A callable `code` is
    computed from the error (a problem type chosen by the injected status, an OAuth error code).
    """

    status: int | None
    code: Any = None


# A kind of error: a DomainError class, or a class refined by the error's `reason`
# (`(Unauthenticated, Unauthenticated.MISSING)`); the most specific kind in the table wins.
Kind = type | tuple[type, str]
# A message template: a `str.format` string over `error` and `request`, or a function of the two.
Template = str | Callable[[DomainError, RequestFacts], str]


@dataclass(frozen=True)
class Answer:
    """What the table and templates made of one error: all a vendor's body builder works from."""

    error: DomainError
    request: RequestFacts
    status: int
    code: Any
    message: str

    @property
    def fields(self) -> tuple[FieldError, ...]:
        return getattr(self.error, "fields", ())


def lookup(table: Mapping[Kind, Any], kind: type, reason: str | None = None) -> Any:
    """The entry for the most specific class of `kind` in `table`, refined by `reason` where the table is."""
    for cls in kind.__mro__:
        if cls is DomainError or not issubclass(cls, DomainError):
            break  # a table row for DomainError itself would be a catch-all, which is what it must not have
        if reason is not None and (cls, reason) in table:
            return table[cls, reason]
        if cls in table:
            return table[cls]
    return None


def common_headers(error: DomainError) -> dict[str, str]:
    """The headers that go with these kinds of error in every vendor's format."""
    if isinstance(error, RateLimited):
        return {"Retry-After": str(error.retry_after)}
    if isinstance(error, Unavailable) or (isinstance(error, InjectedFault) and error.status == 429):
        return {"Retry-After": str(INJECTED_RETRY_AFTER)}
    if isinstance(error, MethodNotAllowed) and error.allowed:
        return {"Allow": ", ".join(error.allowed)}
    return {}


class ErrorRenderer:
    """A profile's `render_error`: its table and templates applied to an error, shaped by its body builder.

    The table must say how to render every kind in `DOMAIN_KINDS` (a profile's own kinds it adds):
    a missing row stops the import. An error of a kind the table does not know (another profile's
    own kind) is a bug: it is logged and answered with the vendor's 500.
    """

    def __init__(
        self,
        vendor: str,
        table: Mapping[Kind, Row],
        build_body: Callable[[Answer], dict],
        templates: Mapping[Kind, Template] | None = None,
        content_type: str = "application/json",
    ) -> None:
        missing = [kind.__name__ for kind in DOMAIN_KINDS if lookup(table, kind) is None]
        if missing:
            raise TypeError(f"{vendor}'s error table does not say how to render {', '.join(missing)}")
        self.vendor = vendor
        self.table = dict(table)
        self.templates = dict(templates or {})
        self.build_body = build_body
        self.content_type = content_type

    def __call__(self, error: DomainError, request: RequestFacts) -> Rendered:
        reason = getattr(error, "reason", None)
        row = lookup(self.table, type(error), reason)
        if row is None:
            logger.error("%s's error table has no row for %s: answered as a 500", self.vendor, type(error).__name__)
            return self(InternalError("An unexpected error occurred."), request)
        status = row.status if row.status is not None else error.status
        code = row.code(error) if callable(row.code) else row.code
        template = lookup(self.templates, type(error), reason)
        if template is None:
            message = error.message
        elif isinstance(template, str):
            message = template.format(error=error, request=request)
        else:
            message = template(error, request)
        body = self.build_body(Answer(error, request, status, code, message))
        return Rendered(status, body, content_type=self.content_type, headers=common_headers(error))
