"""The bugs planted for the invers rules: monkeypatches of the running sandbox, and gateways in front of it
(`front.py`) that rewrite what it is asked or answers. `planted_invers.py` says which rules name each."""

from __future__ import annotations

import hashlib
import time

from conformance.contract import load_spec
from mockserver.engine import ratelimit
from mockserver.invers import access, commands
from mockserver.invers.world import InversWorld

from ..support import INVERS_BASE
from . import front
from .front import Request, Response, answer

TOKEN = "/auth/oauth/token"
VEHICLE = "/vehicles/[^/]+"
COMMAND = "/vehicles/[^/]+/commands/[^/]+"
SHARING = "/vehicles/[^/]+/sharing"
API = "/(?!auth/).*"


def on(method, path, before=None, after=None):
    return front.on(INVERS_BASE, method, path, before, after)


def edit(method, path, change, status=200):
    return front.edit(INVERS_BASE, method, path, change, status)


def items(change):
    """An edit of every item of a list's `items`."""

    def edit_items(body, request):
        return {**body, "items": [change(item) for item in body.get("items") or []]}

    return edit_items


def _status(new: int, when):
    def after(request: Request, response: Response) -> None:
        if when(request, response):
            response.status = new

    return after


def _problem_type(new: str, when):
    def after(request: Request, response: Response) -> None:
        if when(request, response) and response.is_json:
            response.set_json({**response.json(), "type": new})

    return after


# --- authentication --------------------------------------------------------------------------------

token_lifetime_an_hour = edit("POST", TOKEN, lambda body, request: {**body, "expires_in": 3600})
no_credentials_answered_400 = on(
    "POST", TOKEN, after=_status(400, lambda rq, rs: rs.status == 401 and "authorization" not in rq.headers)
)


def _oauth_error(request: Request, response: Response) -> None:
    if response.status == 401 and "authorization" in request.headers:
        response.set_json({"error": "invalid_client"})


wrong_secret_answered_as_oauth_error = on("POST", TOKEN, after=_oauth_error)
no_token_answered_403 = on(
    None, API, after=_status(403, lambda rq, rs: rs.status == 401 and "authorization" not in rq.headers)
)
unknown_token_called_missing = on(
    None,
    API,
    after=_problem_type(
        "/problems/missing-credentials", lambda rq, rs: rs.status == 401 and "authorization" in rq.headers
    ),
)


def every_fleets_vehicles_listed(monkeypatch):
    """The list forgets to filter by fleet: every vehicle of the sandbox."""

    def list_vehicles(self, client, limit, page_token, q):
        from mockserver.invers import paging, views

        chosen, next_token = paging.page(sorted(self.vehicles), limit, page_token)
        viewed = [views.vehicle_view(self.vehicles[i], self.fleets, client.fleet_id) for i in chosen]
        return {"items": viewed, "next_page_token": next_token}

    monkeypatch.setattr(InversWorld, "list_vehicles", list_vehicles)


# --- problems and headers ----------------------------------------------------------------------------


def _flow_id_per_session(request: Request, response: Response) -> None:
    response.headers["x-invers-flow-id"] = hashlib.md5(request.headers.get("authorization", "").encode()).hexdigest()


flow_id_per_session = on(None, ".*", after=_flow_id_per_session)
problem_without_documentation = edit(
    None, ".*", lambda body, request: {k: v for k, v in body.items() if k != "type_documentation"}, status=404
)


def _long_plates_cut(request: Request) -> None:
    body = request.json() or {}
    plate = (body.get("master_data") or {}).get("license_plate")
    if isinstance(plate, str) and len(plate) > 30:
        request.set_json({**body, "master_data": {**body["master_data"], "license_plate": plate[:30]}})


long_plates_cut = on("PATCH", VEHICLE, before=_long_plates_cut)


def _offset_stamps(vehicle: dict) -> dict:
    return {k: v[:-1] + "+00:00" if k.endswith("_at") and isinstance(v, str) else v for k, v in vehicle.items()}


timestamps_with_offset = edit("GET", "/vehicles", items(_offset_stamps))


def _reset_as_duration(request: Request, response: Response) -> None:
    if "x-rate-limit-reset" in response.headers:
        response.headers["x-rate-limit-reset"] = str(
            max(1, int(response.headers["x-rate-limit-reset"]) - int(time.time()))
        )


reset_as_duration = on(None, API, after=_reset_as_duration)


def _remaining_stuck(request: Request, response: Response) -> None:
    if "x-rate-limit-limit" in response.headers:
        response.headers["x-rate-limit-remaining"] = response.headers["x-rate-limit-limit"]


remaining_stuck = on(None, API, after=_remaining_stuck)
no_retry_after = on(None, API, after=lambda rq, rs: rs.headers.pop("retry-after", None) if rs.status == 429 else None)


def one_quota_for_everyone(monkeypatch):
    real = ratelimit.RateLimiter.hit
    monkeypatch.setattr(
        ratelimit.RateLimiter, "hit", lambda self, profile, client, now, tally: real(self, profile, "all", now, tally)
    )


# --- vehicles and commands ---------------------------------------------------------------------------

no_next_page_token = edit("GET", "/vehicles", lambda body, request: {**body, "next_page_token": None})
cursor_skips_a_vehicle = edit(
    "GET",
    "/vehicles",
    lambda body, request: {**body, "items": body["items"][:-1]} if body.get("next_page_token") else body,
)
no_capabilities = edit("GET", VEHICLE, lambda body, request: {k: v for k, v in body.items() if k != "capabilities"})


def _patch_read_instead(request: Request) -> None:
    request.method, request.body = "GET", b""


patch_not_applied = on("PATCH", VEHICLE, before=_patch_read_instead)


def _unknown_master_data_dropped(request: Request) -> None:
    known = load_spec("invers.yaml")["components"]["schemas"]["MasterData"]["properties"]
    body = request.json() or {}
    if isinstance(body.get("master_data"), dict):
        request.set_json({**body, "master_data": {k: v for k, v in body["master_data"].items() if k in known}})


unknown_master_data_dropped = on("PATCH", VEHICLE, before=_unknown_master_data_dropped)


def everyone_sees_every_vehicle(monkeypatch):
    def visible(vehicles, vehicle_id, fleet_id):
        if vehicle_id not in vehicles:
            raise access.ResourceNotFound(f"No vehicle with id '{vehicle_id}'.")
        return vehicles[vehicle_id]

    monkeypatch.setattr(access, "visible", visible)


def _accepted_for_later(request: Request, response: Response) -> None:
    if response.status == 200:
        response.status, response.body = 202, b""


def _unsupported_accepted(request: Request, response: Response) -> None:
    if response.status == 409 and b"command-not-supported" in response.body:
        response.status = 200
        response.set_json({})


commands_answer_202 = on("POST", COMMAND, after=_accepted_for_later)
lock_not_carried_out = on("POST", "/vehicles/[^/]+/commands/lock-central-lock", before=lambda request: answer(200, {}))
unsupported_commands_accepted = on("POST", COMMAND, after=_unsupported_accepted)


def locking_in_use_allowed(monkeypatch):
    monkeypatch.setattr(commands, "in_use", lambda vehicle: False)
