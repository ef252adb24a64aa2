"""The bugs planted for the trimble rules: monkeypatches of the running sandbox, and gateways in front of it
(`front.py`) that rewrite what it is asked or answers. `planted_trimble.py` says which rules name each."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from mockserver.trimble import fleet, groups
from mockserver.trimble import state as trimble_state
from mockserver.trimble.fleet import Scope

from ..support import TRIMBLE_BASE
from . import front
from .front import Request, Response, answer

AUTHENTICATE = "/accounts/authenticate"
ALLOWED = re.compile(r"[^A-Za-z0-9\-_=+*#! .,()`~?]")


def on(method, path, before=None, after=None):
    return front.on(TRIMBLE_BASE, method, path, before, after)


def edit(method, path, change, status=200):
    return front.edit(TRIMBLE_BASE, method, path, change, status)


def each(change):
    """An edit of every item of a body's `data`."""

    def edit_items(body, request):
        body["data"] = [change(item) for item in body.get("data") or []]
        return body

    return edit_items


def without(mapping: dict, *keys: str) -> dict:
    return {k: v for k, v in mapping.items() if k not in keys}


# --- authentication --------------------------------------------------------------------------


def _expires_in_us_format(body, request):
    return {
        **body,
        "expires": datetime.fromisoformat(body["expires"].replace("Z", "+00:00")).strftime("%m/%d/%Y %H:%M:%S"),
    }


def _expires_yesterday(body, request):
    expires = datetime.fromisoformat(body["expires"].replace("Z", "+00:00")) - timedelta(days=1)
    return {**body, "expires": expires.isoformat().replace("+00:00", "Z")}


def opaque_tokens(monkeypatch):
    """Tokens handed out as opaque strings (a session id), mapped back to the real token on the way in."""
    issued: dict[str, str] = {}

    def hand_out(body, request):
        opaque = hashlib.sha256(body["token"].encode()).hexdigest()
        issued[opaque] = body["token"]
        return {**body, "token": opaque}

    def take_in(request: Request):
        if request.bearer() in issued:
            request.headers["authorization"] = f"bearer {issued[request.bearer()]}"

    edit("POST", AUTHENTICATE, hand_out)(monkeypatch)
    on(None, "/.*", before=take_in)(monkeypatch)


def _status(status: int, when):
    def after(request: Request, response: Response) -> None:
        if when(request, response):
            response.status = status

    return after


def customer_tokens_refused(monkeypatch):
    """A token issued for a named accountId authenticates, but every call with it is refused."""
    for_customers: set[str] = set()

    def note(body, request):
        if (request.json() or {}).get("accountId") is not None:
            for_customers.add(body["token"])
        return body

    edit("POST", AUTHENTICATE, note)(monkeypatch)
    on(None, "/(?!accounts/authenticate).*", before=lambda r: answer(401) if r.bearer() in for_customers else None)(
        monkeypatch
    )


def _account_id_ignored(request: Request):
    request.set_json(without(request.json() or {}, "accountId"))


def _direct_tokens_list_no_accounts(request: Request, response: Response) -> None:
    if response.status == 400:
        response.status = 200
        response.set_json({"data": []})


# --- vehicles ------------------------------------------------------------------------------------


def known_id_under_a_new_name_not_reported(monkeypatch):
    real = fleet.create_members

    def create_members(f, kind, items, tick, next_id):
        quiet = {
            kind.external_id_of(i)
            for i in items
            if f.scope.holder_of_id(kind, kind.external_id_of(i)) and not f.scope.holder_of_name(kind, kind.name_of(i))
        }
        answered = real(f, kind, items, tick, next_id)
        if "error" in answered:
            kept = [i for i in answered["error"]["duplicate_ids"] if i not in quiet]
            answered = (
                {**answered, "error": {**answered["error"], "duplicate_ids": kept}}
                if kept
                else without(answered, "error")
            )
        return answered

    monkeypatch.setattr(fleet, "create_members", create_members)


def names_not_unique(monkeypatch):
    monkeypatch.setattr(fleet.Scope, "holder_of_name", lambda self, kind, name: None)


def all_or_nothing(monkeypatch):
    real = fleet.create_members

    def create_members(f, kind, items, tick, next_id):
        taken = [
            i
            for i in items
            if f.scope.holder_of_id(kind, kind.external_id_of(i)) or f.scope.holder_of_name(kind, kind.name_of(i))
        ]
        return real(f, kind, taken or items, tick, next_id)

    monkeypatch.setattr(fleet, "create_members", create_members)


def _batches_truncated_to_50(request: Request):
    body = request.json()
    if isinstance(body, list) and len(body) > 50:
        request.set_json(body[:50])


def _fifty_refused(request: Request):
    body = request.json()
    if isinstance(body, list) and len(body) >= 50:
        return answer(400, {"message": "A batch holds fewer than 50 items."})
    return None


def _empty_batch_accepted(request: Request):
    return answer(200, {"data": []}) if request.json() == [] else None


def _characters_removed(request: Request):
    request.set_json(
        [{k: ALLOWED.sub("", v) if isinstance(v, str) else v for k, v in i.items()} for i in request.json()]
    )


def _some_punctuation_refused(request: Request):
    texts = [v for i in request.json() or [] for v in i.values() if isinstance(v, str)]
    return answer(400, {"message": "Invalid characters."}) if any(c in t for t in texts for c in "`~?") else None


def _name_defaults_to_id(request: Request):
    request.set_json([{"Name": i.get("vehicleId") or i.get("VehicleID"), **i} for i in request.json()])


def _vehicle_id_casing_refused(request: Request):
    if any("VehicleID" in i for i in request.json() or []):
        return answer(400, {"message": "vehicleId is required."})
    return None


def _only_the_first_renamed(request: Request):
    request.set_json((request.json() or [])[:1])


def _not_found_code_12(body, request):
    if body.get("error", {}).get("ids_not_found"):
        body["error"]["code"] = -12
    return body


def _unknown_deletes_answer_200(request: Request, response: Response) -> None:
    if 400 <= response.status < 500:
        response.status = 200


# --- lists -----------------------------------------------------------------------------------------


def _with_query(href: str, **params) -> str:
    parts = urlsplit(href)
    return urlunsplit(parts._replace(query=urlencode({**dict(parse_qsl(parts.query)), **params})))


def _last_link_past_the_end(body, request):
    if "last" in body:
        body["last"]["href"] = _with_query(body["last"]["href"], offset=body["size"])
    return body


def _next_links_overlap(body, request):
    if "next" in body:
        body["next"]["href"] = _with_query(body["next"]["href"], offset=body["offset"] + body["limit"] - 1)
    return body


def sorted_by_system_id(monkeypatch):
    def page_members(f, kind, expression, direction, offset, limit):
        ordered = sorted(f.members[kind.noun].values(), key=lambda m: m.id)
        return ordered[offset : offset + limit], len(ordered)

    monkeypatch.setattr(fleet, "page_members", page_members)


def names_sorted_by_id(monkeypatch):
    real = fleet.page_members
    monkeypatch.setattr(
        fleet,
        "page_members",
        lambda f, kind, expression, direction, offset, limit: real(
            f, kind, "vehicleId" if expression == "vehicleName" else expression, direction, offset, limit
        ),
    )


def _paging_clamped(request: Request):
    if int(request.param("limit") or 1) < 1:
        request.without("limit")
    if int(request.param("offset") or 0) < 0:
        request.without("offset")


def empty_groups_unlisted(monkeypatch):
    from mockserver.trimble import views, world

    def list_groups(self, caller, offset, limit, direction):
        ordered = sorted((g for g in self.fleet(caller).groups.values() if g.vehicle_ids), key=lambda g: (g.name, g.id))
        return [views.group_view(g) for g in ordered[offset : offset + limit]], len(ordered)

    monkeypatch.setattr(world.TrimbleWorld, "list_groups", list_groups)


def vehicle_lists_across_the_cloud(monkeypatch):
    from mockserver.trimble import views, world

    def list_members(self, caller, kind, offset, limit, sort, direction):
        mine = self.fleet(caller)
        members = [m for f in self.fleets.values() if f.scope is mine.scope for m in f.members[kind.noun].values()]
        ordered = fleet.sorted_members(members, kind, sort, direction)
        return [views.member_listed(kind, m, mine.groups_of(m)) for m in ordered[offset : offset + limit]], len(members)

    monkeypatch.setattr(world.TrimbleWorld, "list_members", list_members)


def members_found_across_the_cloud(monkeypatch):
    monkeypatch.setattr(fleet.Fleet, "find", lambda self, kind, external_id: self.scope.holder_of_id(kind, external_id))


def one_scope_for_every_account(monkeypatch):
    def build_fleets(accounts_):
        shared = Scope(partner_cloud=True)
        return {account.id: fleet.Fleet(account, shared) for account in accounts_.values()}

    monkeypatch.setattr(trimble_state, "build_fleets", build_fleets)


# --- plants made of the gateway's parts ------------------------------------------------------------

expires_in_us_format = edit("POST", AUTHENTICATE, _expires_in_us_format)
expires_yesterday = edit("POST", AUTHENTICATE, _expires_yesterday)
no_token_answered_403 = on(
    None, "/.*", after=_status(403, lambda rq, rs: rs.status == 401 and "authorization" not in rq.headers)
)
unknown_token_answered_400 = on(
    None, "/.*", after=_status(400, lambda rq, rs: rs.status == 401 and "authorization" in rq.headers)
)
account_id_ignored = on("POST", AUTHENTICATE, before=_account_id_ignored)
account_name_camel_case = edit(
    "GET", "/accounts", each(lambda a: {**without(a, "AccountName"), "accountName": a.get("AccountName")})
)
direct_tokens_list_no_accounts = on("GET", "/accounts", after=_direct_tokens_list_no_accounts)
added_without_modified_on = edit("POST", "/vehicles", each(lambda v: without(v, "ModifiedOn")))
added_under_another_id = edit("POST", "/vehicles", each(lambda v: {**v, "Id": v["Id"] + 1000}))
batches_truncated_to_50 = on(None, "/(vehicles|drivers|vehiclegroups)", before=_batches_truncated_to_50)
fifty_refused = on("POST", "/vehicles", before=_fifty_refused)
empty_batch_accepted = on("POST", "/vehicles", before=_empty_batch_accepted)
characters_removed = on("POST", "/vehicles", before=_characters_removed)
some_punctuation_refused = on("POST", "/vehicles", before=_some_punctuation_refused)
name_defaults_to_id = on("POST", "/vehicles", before=_name_defaults_to_id)
vehicle_id_casing_refused = on("POST", "/vehicles", before=_vehicle_id_casing_refused)
modified_on_with_z = edit("POST", "/vehicles", each(lambda v: {**v, "ModifiedOn": v["ModifiedOn"] + "Z"}))
only_the_first_renamed = on("PUT", "/vehicles", before=_only_the_first_renamed)
not_found_code_12 = edit("PUT", "/(vehicles|drivers)", _not_found_code_12)
delete_message_reworded = edit("DELETE", "/vehicles", lambda body, request: {**body, "message": "Vehicle deleted."})
unknown_deletes_answer_200 = on("DELETE", "/(vehicles|drivers)", after=_unknown_deletes_answer_200)
no_first_link = edit("GET", "/vehicles", lambda body, request: without(body, "first"))
offset_ignored = on("GET", "/vehicles", before=lambda request: request.without("offset"))
no_previous_link = edit("GET", "/vehicles", lambda body, request: without(body, "previous"))
last_link_past_the_end = edit("GET", "/vehicles", _last_link_past_the_end)
next_links_overlap = edit("GET", "/vehicles", _next_links_overlap)
size_of_the_page = edit("GET", "/vehicles", lambda body, request: {**body, "size": len(body["data"])})
paging_clamped = on("GET", "/vehicles", before=_paging_clamped)
groups_without_modified_on = edit("POST", "/vehiclegroups", each(lambda g: without(g, "modifiedOn")))
duplicate_groups_all_added = edit(
    "POST",
    "/vehiclegroups",
    lambda body, request: {**body, "message": "Successfully added all vehicle groups to the account."},
)
group_delete_not_applied = on(
    "DELETE", r"/vehiclegroups/\d+", before=lambda r: answer(200, {"message": "Deleted.", "data": True})
)
vehicle_groups_empty = edit("GET", "/vehicles", each(lambda v: {**v, "vehicleGroups": []}))
unassign_not_applied = on("DELETE", r"/vehiclegroups/\d+/vehicles", before=lambda r: answer(200, {"data": True}))
unknown_assignments_ignored = edit("POST", r"/vehiclegroups/\d+/vehicles", lambda body, request: without(body, "error"))
drivers_camel_case = edit("POST", "/drivers", each(lambda d: {**without(d, "DriverId"), "driverId": d.get("DriverId")}))
duplicate_drivers_code_11 = edit(
    "POST",
    "/drivers",
    lambda body, request: {**body, "error": {**body["error"], "code": -11}} if "error" in body else body,
)


def group_limit_2001(monkeypatch):
    monkeypatch.setattr(groups, "MAX_GROUPS_PER_ACCOUNT", 2001)
