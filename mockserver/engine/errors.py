"""Domain errors: what went wrong, in words every profile renders in its own vendor's format.

    DomainError
    ├── InvalidInput            the request is malformed (optionally one FieldError per field)
    ├── Unauthenticated         no, an unknown or an expired credential (see `reason`)
    ├── Forbidden               the credential is valid but may not do this
    ├── NotFound                a named resource does not exist
    │   └── UnknownRoute        no operation is served at the path (framework)
    ├── MethodNotAllowed        the route exists, the method does not (see `allowed`)
    ├── Conflict                the request clashes with current state
    ├── Unprocessable           well formed, but inconsistent in itself
    ├── UnsupportedMediaType    the body is not in a format the operation reads
    ├── NotAcceptable           the client accepts no format the API writes (http/formats.py)
    ├── PayloadTooLarge         the body is longer than the server reads (see `limit`)
    ├── RateLimited             the client has used up its quota (see `decision`)
    ├── InjectedFault           a failure the sandbox was told to fake (see `status`)
    │   └── Unavailable         the sandbox's store is not answering (503)
    └── InternalError           a bug in fleetbox (framework)

`DOMAIN_KINDS` lists them all: every profile's error table must say how to render each one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .ratelimit import RateDecision


@dataclass(frozen=True)
class FieldError:
    """One malformed field: where it is (`[3].Name`, `limit`), what is wrong with it, and a short code
    naming the rule it broke (the JSON Schema keyword for schema violations), for vendors that show one."""

    field: str
    message: str
    code: str = ""


class DomainError(Exception):
    """Base of every error a profile renders; `message` is meant for the API's user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """The request is malformed."""

    def __init__(self, message: str, fields: tuple[FieldError, ...] = ()) -> None:
        super().__init__(message)
        self.fields = fields


class Unauthenticated(DomainError):
    """No credential, or one that is unknown or expired."""

    MISSING = "missing"
    INVALID = "invalid"
    EXPIRED = "expired"

    def __init__(self, message: str, reason: str = INVALID) -> None:
        super().__init__(message)
        self.reason = reason


class Forbidden(DomainError):
    """The caller is known but may not do this."""


class NotFound(DomainError):
    """A resource named in the request does not exist."""


class UnknownRoute(NotFound):
    """No operation is served at the path (vendors word this case their own way)."""


class MethodNotAllowed(DomainError):
    """The path exists but not with this method."""

    def __init__(self, message: str, allowed: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.allowed = allowed


class Conflict(DomainError):
    """The request clashes with the current state."""


class Unprocessable(DomainError):
    """The request is well formed but inconsistent in itself."""


class UnsupportedMediaType(DomainError):
    """The body's media type is not one the operation reads."""


class PayloadTooLarge(DomainError):
    """The request body is longer than the `limit` bytes the server reads."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"The request body is larger than the {limit} bytes this API accepts.")
        self.limit = limit


class RateLimited(DomainError):
    """The client has used up its quota until `decision.resets_at`."""

    def __init__(self, message: str, decision: RateDecision, retry_after: int) -> None:
        super().__init__(message)
        self.decision = decision
        self.retry_after = retry_after


class InjectedFault(DomainError):
    """A failure put into the API on purpose (engine/faults.py); rendered with `status`."""

    def __init__(self, status: int) -> None:
        super().__init__(f"fleetbox injected this failure (HTTP {status}) as the sandbox's faults ask.")
        self.status = status


class Unavailable(InjectedFault):
    """The sandbox's store stopped answering (engine/store); the client may try again shortly."""

    def __init__(self) -> None:
        DomainError.__init__(self, "The sandbox's store is not answering; try again in a moment.")
        self.status = 503


class NotAcceptable(DomainError):
    """The `Accept` header (or `format`) names no format the API writes."""


class InternalError(DomainError):
    """A bug in fleetbox; rendered as the vendor's 500 and logged with its traceback."""


# Every kind of error the engine and the HTTP framework raise, so every profile may meet each of them.
DOMAIN_KINDS: tuple[type[DomainError], ...] = (
    InvalidInput,
    Unauthenticated,
    Forbidden,
    NotFound,
    UnknownRoute,
    MethodNotAllowed,
    Conflict,
    Unprocessable,
    UnsupportedMediaType,
    NotAcceptable,
    PayloadTooLarge,
    RateLimited,
    InjectedFault,
    Unavailable,
    InternalError,
)
