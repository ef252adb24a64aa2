"""INVERS' problem types (research A.6), and the domain errors that name one of them.

A world raises these where the engine's generic errors would leave the problem type ambiguous (three
kinds of 409, two kinds of 400); `errors.py` renders every error, these and the engine's, as a
problem document.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

from mockserver.engine.errors import Conflict, Forbidden, InvalidInput, NotFound

DOCUMENTATION = "https://developers.invers.com"


@dataclass(frozen=True)
class ProblemType:
    """One problem type: its path (`/problems/...`), HTTP status and fixed title."""

    type: str
    status: int
    title: str

    @property
    def documentation(self) -> str:
        return DOCUMENTATION + self.type


# Documented by INVERS.
VALIDATION_ERROR = ProblemType("/problems/validation-error", 400, "The request is invalid.")
REFERENCED_RESOURCE_NOT_FOUND = ProblemType(
    "/problems/referenced-resource-not-found", 400, "A referenced resource was not found."
)
MISSING_CREDENTIALS = ProblemType("/problems/missing-credentials", 401, "Credentials are missing.")
INVALID_CREDENTIALS = ProblemType("/problems/invalid-credentials", 401, "The credentials are invalid.")
MISSING_PERMISSIONS = ProblemType("/problems/missing-permissions", 403, "Permissions are missing.")
SHARED_WITH_PARTNER = ProblemType(
    "/problems/vehicle/shared-with-partner", 409, "The vehicle is currently shared with a partner."
)
COMMAND_NOT_SUPPORTED = ProblemType(
    "/problems/vehicle/command-not-supported", 409, "The command is not supported by the vehicle."
)
CONFLICTING_STATE = ProblemType(
    "/problems/vehicle/conflicting-state", 409, "The command conflicts with the current vehicle state."
)
TOO_MANY_REQUESTS = ProblemType("/problems/too-many-requests", 429, "Too many requests.")
INTERNAL_SERVER_ERROR = ProblemType("/problems/internal-server-error", 500, "An internal server error occurred.")
# fleetbox's, in the vendor's naming pattern: INVERS documents no type for these statuses.
RESOURCE_NOT_FOUND = ProblemType("/problems/resource-not-found", 404, "The resource was not found.")
METHOD_NOT_ALLOWED = ProblemType("/problems/method-not-allowed", 405, "The method is not allowed for this resource.")
PAYLOAD_TOO_LARGE = ProblemType("/problems/payload-too-large", 413, "The request body is too large.")
UNSUPPORTED_MEDIA_TYPE = ProblemType("/problems/unsupported-media-type", 415, "The media type is not supported.")
NOT_ACCEPTABLE = ProblemType("/problems/not-acceptable", 406, "No acceptable representation is available.")

# The problem an injected fault (engine/faults.py) shows, by status: the vendor's own where one exists.
BY_STATUS = {
    problem.status: problem
    for problem in (
        VALIDATION_ERROR,
        INVALID_CREDENTIALS,
        MISSING_PERMISSIONS,
        RESOURCE_NOT_FOUND,
        METHOD_NOT_ALLOWED,
        CONFLICTING_STATE,
        PAYLOAD_TOO_LARGE,
        UNSUPPORTED_MEDIA_TYPE,
        TOO_MANY_REQUESTS,
        INTERNAL_SERVER_ERROR,
    )
}


def for_status(status: int) -> ProblemType:
    """INVERS' problem type for `status`, or fleetbox's own for statuses INVERS documents none for."""
    if status in BY_STATUS:
        return BY_STATUS[status]
    try:
        title = HTTPStatus(status).phrase + "."
    except ValueError:
        title = f"HTTP {status}."
    return ProblemType(f"/problems/http-{status}", status, title)


class ReferencedResourceNotFound(InvalidInput):
    """A resource named in the body, not the path, does not exist for the caller."""

    problem = REFERENCED_RESOURCE_NOT_FOUND


class SharedWithPartner(Conflict):
    """The vehicle is shared: the owner may not command it, nor share it again."""

    problem = SHARED_WITH_PARTNER


class CommandNotSupported(Conflict):
    """The vehicle lacks the command's capability."""

    problem = COMMAND_NOT_SUPPORTED


class ConflictingState(Conflict):
    """The vehicle's state forbids the command."""

    problem = CONFLICTING_STATE


class MissingPermissions(Forbidden):
    """The caller sees the vehicle but may not change it this way."""

    problem = MISSING_PERMISSIONS


class ResourceNotFound(NotFound):
    """No such vehicle (or sharing) for the caller."""

    problem = RESOURCE_NOT_FOUND


# The profile's own kinds of error: each names its problem type (`.problem`).
KINDS = (
    ReferencedResourceNotFound,
    SharedWithPartner,
    CommandNotSupported,
    ConflictingState,
    MissingPermissions,
    ResourceNotFound,
)
