"""Responses planted off the contract, one operation each, so that one Schemathesis run names them all:
a broken schema, an undocumented status, a 5xx, a wrong media type, a missing required header, and
invalid input accepted."""

from __future__ import annotations

from . import bugs_invers, bugs_trimble
from .front import Request, Response, answer


def _content_type(value: str):
    def after(request: Request, response: Response) -> None:
        response.headers["content-type"] = value

    return after


# --- trimble ----------------------------------------------------------------------------------------


def _crash_on_4xx(request: Request, response: Response) -> None:
    if 400 <= response.status < 500 and response.status != 401:
        response.status = 500


def _too_many_without_retry_after(request: Request):
    return answer(429, {"message": "Too many requests."})


def _answered_206(request: Request, response: Response) -> None:
    if response.status == 200:
        response.status = 206


def _unreadable_limit_ignored(request: Request) -> None:
    if not (request.param("limit") or "1").isdigit():
        request.without("limit")


drivers_answered_206 = bugs_trimble.on("GET", "/drivers", after=_answered_206)
vehicles_ignore_an_unreadable_limit = bugs_trimble.on("GET", "/vehicles", before=_unreadable_limit_ignored)
unknown_driver_deletes_crash = bugs_trimble.on("DELETE", "/drivers", after=_crash_on_4xx)
accounts_as_text = bugs_trimble.on("GET", "/accounts", after=_content_type("text/plain; charset=utf-8"))
group_vehicles_throttled_without_retry_after = bugs_trimble.on(
    "GET", r"/vehiclegroups/[^/]+/vehicles", before=_too_many_without_retry_after
)

# --- invers -----------------------------------------------------------------------------------------


def _problems_as_plain_json(request: Request, response: Response) -> None:
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        response.headers["content-type"] = "application/json"


def _crash_on_404(request: Request, response: Response) -> None:
    if response.status == 404:
        response.status = 500


def _accepted_for_later(request: Request, response: Response) -> None:
    if response.status == 200:
        response.status, response.body = 202, b""


patch_answered_202 = bugs_invers.on("PATCH", bugs_invers.VEHICLE, after=_accepted_for_later)
unknown_vehicles_crash = bugs_invers.on("GET", bugs_invers.VEHICLE, after=_crash_on_404)
command_problems_as_plain_json = bugs_invers.on("POST", bugs_invers.COMMAND, after=_problems_as_plain_json)
list_without_flow_id = bugs_invers.on(
    "GET", "/vehicles", after=lambda request, response: response.headers.pop("x-invers-flow-id", None)
)
