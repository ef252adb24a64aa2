"""The trimble self-tests' data: bugs planted in the running sandbox (monkeypatches), and the rules that
must name them."""

from __future__ import annotations

from mockserver.engine.errors import Unauthenticated
from mockserver.trimble import fleet, handlers, paging
from mockserver.trimble import state as trimble_state
from mockserver.trimble.fleet import Scope
from mockserver.trimble.handlers import accounts

from ..support import TRIMBLE_BASE
from .selftest import OffContract, PlantedBug, SelfTest

# The scenario layer: every rule but Schemathesis' (which the clean run covers too).
SCENARIOS = ("TRIMBLE-AUTH-*", "TRIMBLE-VEH-*", "TRIMBLE-PAGE-*", "TRIMBLE-GRP-*", "TRIMBLE-DRV-*", "TRIMBLE-SCOPE-*")


def drop_duplicates_from_error(monkeypatch):
    real = fleet.create_members

    def create_members(*args, **kwargs):
        return {"data": real(*args, **kwargs)["data"]}

    monkeypatch.setattr(fleet, "create_members", create_members)


def _answer_unknown_keys_with_401(monkeypatch):
    # Handlers are resolved at start-up; the name the handler raises for an unknown key is looked up
    # when it runs.
    monkeypatch.setattr(accounts, "InvalidInput", lambda message: Unauthenticated(message))


def _next_link_one_page_too_far(monkeypatch):
    real = paging.collection

    def collection(items, total, offset, limit, request_url, base_url, carried):
        page = real(items, total, offset, limit, request_url, base_url, carried)
        if "next" in page:
            page["next"] = real([], total + limit, offset + limit, limit, request_url, base_url, carried)["next"]
        return page

    monkeypatch.setattr(handlers, "collection", collection)


def ignore_sort_direction(monkeypatch):
    real = fleet.sorted_members
    monkeypatch.setattr(
        fleet, "sorted_members", lambda members, kind, expression, direction: real(members, kind, expression, "ASC")
    )


def _keep_modified_on_on_rename(monkeypatch):
    real = fleet.rename_members
    monkeypatch.setattr(
        fleet,
        "rename_members",
        lambda f, kind, items, tick: real(
            f, kind, items, lambda: next(iter(f.members[kind.noun].values())).modified_on
        ),
    )


def _one_scope_per_account(monkeypatch):
    def build_fleets(accounts_):
        return {
            account.id: fleet.Fleet(account, Scope(partner_cloud=account.type != "direct"))
            for account in accounts_.values()
        }

    monkeypatch.setattr(trimble_state, "build_fleets", build_fleets)


def _forget_renamed_groups(monkeypatch):
    from mockserver.trimble import groups

    monkeypatch.setattr(
        groups,
        "rename_group",
        lambda f, group_id, name, tick: {"message": "Successfully updated vehicle group.", "data": True},
    )


def _group_ids_as_strings(monkeypatch):
    from mockserver.trimble import views

    real = views.group_view
    monkeypatch.setattr(views, "group_view", lambda group: {**real(group), "vehicleGroupId": str(group.id)})


SELFTEST = SelfTest(
    profile="trimble",
    base=TRIMBLE_BASE,
    listed=("TRIMBLE-CONTRACT-createVehicles", "TRIMBLE-STATEFUL-01"),
    in_html="TRIMBLE-VEH-07",
    planted=(
        PlantedBug("duplicates silently dropped from `error`", "TRIMBLE-VEH-03", SCENARIOS, drop_duplicates_from_error),
        PlantedBug("an unknown apiKey answered 401", "TRIMBLE-AUTH-04", SCENARIOS, _answer_unknown_keys_with_401),
        PlantedBug("the `next` link off by one page", "TRIMBLE-PAGE-03", SCENARIOS, _next_link_one_page_too_far),
        PlantedBug("`sortDirection` ignored", "TRIMBLE-PAGE-10", SCENARIOS, ignore_sort_direction),
        PlantedBug("`ModifiedOn` not changed by a rename", "TRIMBLE-VEH-18", SCENARIOS, _keep_modified_on_on_rename),
        PlantedBug(
            "a partner cloud's accounts not sharing one scope", "TRIMBLE-SCOPE-01", SCENARIOS, _one_scope_per_account
        ),
        PlantedBug("a group rename answered but not applied", "TRIMBLE-GRP-04", SCENARIOS, _forget_renamed_groups),
    ),
    off_contract=OffContract("TRIMBLE-CONTRACT-listVehicleGroups", _group_ids_as_strings),
)
