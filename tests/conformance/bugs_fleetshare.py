"""The bugs planted for the invers FleetShare and event rules (see `bugs_invers.py` for the others):
monkeypatches of the running sandbox, and gateways in front of it. `planted_invers.py` says which rules
name each."""

from __future__ import annotations

from mockserver.engine import webhooks
from mockserver.invers import access, sharing
from mockserver.invers.world import InversWorld

from .bugs_invers import COMMAND, SHARING, edit, items, on
from .front import Request, Response, answer

# --- FleetShare ---------------------------------------------------------------------------------------

partners_without_names = edit("GET", "/sharing-partners", items(lambda p: {k: v for k, v in p.items() if k != "name"}))
sharing_status_shared = edit(
    "POST", SHARING, lambda body, request: {**body, "sharing": {**(body.get("sharing") or {}), "status": "SHARED"}}
)


def _default_end(body, request):
    shared = body.get("sharing") or {}
    if shared and not shared.get("ends_at"):
        body["sharing"] = {**shared, "ends_at": shared["starts_at"][:4] + "-12-31T23:59:59Z"}
    return body


open_sharings_get_an_end = edit("POST", SHARING, _default_end)


def second_sharing_replaces_the_first(monkeypatch):
    real = sharing.start

    def start(vehicle, partner_id, ends_at, flow_id, partners, shared, clock, announce):
        if vehicle.sharing is not None:
            vehicle.sharing = None
            shared.pop(vehicle.id, None)
        real(vehicle, partner_id, ends_at, flow_id, partners, shared, clock, announce)

    monkeypatch.setattr(sharing, "start", start)


def past_ends_accepted(monkeypatch):
    monkeypatch.setattr(sharing, "check_end", lambda ends_at, now: None)


def _owner_check_skipped(words: str):
    def plant(monkeypatch):
        real = access.require_owner
        monkeypatch.setattr(
            access,
            "require_owner",
            lambda vehicle, fleet_id, action: None if words in action else real(vehicle, fleet_id, action),
        )

    return plant


partners_share = _owner_check_skipped("share it")
partners_manage_the_sharing = _owner_check_skipped("sharing")


def _patch_sharing_read_instead(request: Request) -> None:
    request.method, request.body, request.path = "GET", b"", request.path.removesuffix("/sharing")


sharing_change_not_applied = on("PATCH", SHARING, before=_patch_sharing_read_instead)


def partners_cannot_read(monkeypatch):
    """GET /vehicles/{id} looks among the fleet's own vehicles only."""
    from mockserver.invers import views

    def get_vehicle(self, client, vehicle_id):
        vehicle = self.vehicles.get(vehicle_id)
        if vehicle is None or vehicle.fleet_id != client.fleet_id:
            raise access.ResourceNotFound(f"No vehicle with id '{vehicle_id}' in this fleet.")
        return views.vehicle_view(vehicle, self.fleets, client.fleet_id)

    monkeypatch.setattr(InversWorld, "get_vehicle", get_vehicle)


owners_lose_shared_vehicles = edit(
    "GET",
    "/vehicles",
    lambda body, request: {
        **body,
        "items": [v for v in body["items"] if (v.get("sharing") or {}).get("status") != "SHARED_OWN_VEHICLE"],
    },
)


def partner_commands_refused(monkeypatch):
    real = access.require_commandable

    def require_commandable(vehicle, fleet_id):
        if vehicle.fleet_id != fleet_id:
            raise access.MissingPermissions("Only the owner may command the vehicle.")
        real(vehicle, fleet_id)

    monkeypatch.setattr(access, "require_commandable", require_commandable)


end_not_applied = on("DELETE", SHARING, before=lambda request: answer(204))
give_back_not_applied = on("DELETE", SHARING + "/partner", before=lambda request: answer(204))


def _nothing_ended(request: Request, response: Response) -> None:
    if response.status == 404:
        response.status, response.body = 204, b""


nothing_to_end_answered_204 = on("DELETE", SHARING, after=_nothing_ended)


def commands_refused_after_a_sharing(monkeypatch):
    """The gateway remembers vehicles once shared and keeps refusing their owner's commands."""
    ended: set[str] = set()

    def note(request: Request):
        ended.add(request.path.split("/")[-2])

    def refuse(request: Request):
        if request.path.split("/")[-3] in ended:
            return answer(409, {"type": "/problems/vehicle/shared-with-partner", "status": 409})
        return None

    on("DELETE", SHARING, before=note)(monkeypatch)
    on("POST", COMMAND, before=refuse)(monkeypatch)


# --- events --------------------------------------------------------------------------------------------


def events_without_flow_id(monkeypatch):
    real = InversWorld._publish
    monkeypatch.setattr(
        InversWorld,
        "_publish",
        lambda self, type_, audience, payload, flow_id, *rest: real(self, type_, audience, payload, None, *rest),
    )


def no_state_recorded_events(monkeypatch):
    real = InversWorld._publish

    def publish(self, type_, *rest):
        if type_ != "VehicleStateRecorded":
            real(self, type_, *rest)

    monkeypatch.setattr(InversWorld, "_publish", publish)


def sharing_ended_for_the_owner_only(monkeypatch):
    real = sharing.end

    def end(vehicle, flow_id, shared, clock, announce, ended_at=None):
        # The audience is taken after the sharing is gone: the owner alone.
        real(
            vehicle,
            flow_id,
            shared,
            clock,
            lambda v, s, reason, fid, audience=None, at=None: announce(v, s, reason, fid, None, at),
            ended_at,
        )

    monkeypatch.setattr(sharing, "end", end)


def webhooks_never_called(monkeypatch):
    monkeypatch.setattr(webhooks.Webhooks, "on_event", lambda self, event: None)
