"""The trimble self-tests' data: bugs planted in the running sandbox (monkeypatches, and gateways in front
of it from `bugs_trimble.py`), and the rules each must make fail."""

from __future__ import annotations

from mockserver.engine.errors import Unauthenticated
from mockserver.trimble import fleet, groups, handlers, paging
from mockserver.trimble import state as trimble_state
from mockserver.trimble.fleet import Scope
from mockserver.trimble.handlers import accounts

from ..support import TRIMBLE_BASE
from . import bugs_trimble as bug
from . import off_contract as off
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
    real = fleet.page_members
    monkeypatch.setattr(
        fleet,
        "page_members",
        lambda f, kind, expression, direction, offset, limit: real(f, kind, expression, "ASC", offset, limit),
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
    monkeypatch.setattr(
        groups,
        "rename_group",
        lambda f, group_id, name, tick: {"message": "Successfully updated vehicle group.", "data": True},
    )


def _group_ids_as_strings(monkeypatch):
    from mockserver.trimble import views

    real = views.group_view
    monkeypatch.setattr(views, "group_view", lambda group: {**real(group), "vehicleGroupId": str(group.id)})


def _planted(description: str, rule: str, plant, *also: str) -> PlantedBug:
    """A bug for `rule` (and `also`), running only those rules."""
    return PlantedBug(description, rule, (), plant, also=also)


SELFTEST = SelfTest(
    profile="trimble",
    exact=True,
    base=TRIMBLE_BASE,
    listed=("TRIMBLE-CONTRACT-createVehicles", "TRIMBLE-STATEFUL-01"),
    in_html="TRIMBLE-VEH-07",
    planted=(
        # Each runs its rule's area, and exactly the rules named fail.
        PlantedBug(
            "duplicates silently dropped from `error`",
            "TRIMBLE-VEH-03",
            ("TRIMBLE-VEH-0*",),
            drop_duplicates_from_error,
            also=("TRIMBLE-VEH-04", "TRIMBLE-VEH-06"),
        ),
        PlantedBug(
            "an unknown apiKey answered 401", "TRIMBLE-AUTH-04", ("TRIMBLE-AUTH-*",), _answer_unknown_keys_with_401
        ),
        PlantedBug(
            "the `next` link off by one page",
            "TRIMBLE-PAGE-03",
            ("TRIMBLE-PAGE-*",),
            _next_link_one_page_too_far,
            also=("TRIMBLE-PAGE-06",),
        ),
        PlantedBug("`sortDirection` ignored", "TRIMBLE-PAGE-10", ("TRIMBLE-PAGE-*",), ignore_sort_direction),
        PlantedBug(
            "`ModifiedOn` not changed by a rename", "TRIMBLE-VEH-18", ("TRIMBLE-VEH-1*",), _keep_modified_on_on_rename
        ),
        PlantedBug(
            "a partner cloud's accounts not sharing one scope",
            "TRIMBLE-SCOPE-01",
            ("TRIMBLE-SCOPE-*",),
            _one_scope_per_account,
            also=("TRIMBLE-SCOPE-02",),
        ),
        PlantedBug(
            "a group rename answered but not applied", "TRIMBLE-GRP-04", ("TRIMBLE-GRP-0*",), _forget_renamed_groups
        ),
        # Authentication
        _planted("`expires` in a US date format", "TRIMBLE-AUTH-01", bug.expires_in_us_format),
        _planted("opaque tokens instead of JWTs", "TRIMBLE-AUTH-02", bug.opaque_tokens),
        _planted("`expires` a day in the past", "TRIMBLE-AUTH-03", bug.expires_yesterday),
        _planted("a request without a token answered 403", "TRIMBLE-AUTH-05", bug.no_token_answered_403),
        _planted("a token the API never issued answered 400", "TRIMBLE-AUTH-06", bug.unknown_token_answered_400),
        _planted(
            "a token for a customer account refused on every call", "TRIMBLE-AUTH-07", bug.customer_tokens_refused
        ),
        _planted("`accountId` ignored: the key's own account used", "TRIMBLE-AUTH-08", bug.account_id_ignored),
        _planted("customer accounts answered with `accountName`", "TRIMBLE-AUTH-09", bug.account_name_camel_case),
        _planted(
            "a direct token's GET /accounts answered 200, empty", "TRIMBLE-AUTH-10", bug.direct_tokens_list_no_accounts
        ),
        # Vehicles
        _planted("added vehicles answered without `ModifiedOn`", "TRIMBLE-VEH-01", bug.added_without_modified_on),
        _planted(
            "the POST answers a system `Id` other than the listed one", "TRIMBLE-VEH-02", bug.added_under_another_id
        ),
        _planted(
            "a known id under a new name skipped, not reported",
            "TRIMBLE-VEH-04",
            bug.known_id_under_a_new_name_not_reported,
        ),
        _planted(
            "names not checked for uniqueness (only ids)",
            "TRIMBLE-VEH-05",
            bug.names_not_unique,
            "TRIMBLE-VEH-17",
            "TRIMBLE-SCOPE-02",
        ),
        _planted("a batch with a duplicate adds none of its new vehicles", "TRIMBLE-VEH-06", bug.all_or_nothing),
        _planted(
            "a batch over 50 truncated to its first 50 instead of refused",
            "TRIMBLE-VEH-07",
            bug.batches_truncated_to_50,
            "TRIMBLE-VEH-19",
            "TRIMBLE-GRP-03",
            "TRIMBLE-DRV-03",
        ),
        _planted("the batch limit off by one: 50 refused", "TRIMBLE-VEH-08", bug.fifty_refused),
        _planted("an empty batch accepted", "TRIMBLE-VEH-09", bug.empty_batch_accepted),
        _planted(
            "characters outside the documented set removed, not refused", "TRIMBLE-VEH-10", bug.characters_removed
        ),
        _planted("backtick, tilde and question mark refused", "TRIMBLE-VEH-11", bug.some_punctuation_refused),
        _planted("a vehicle without a name named after its id", "TRIMBLE-VEH-12", bug.name_defaults_to_id),
        _planted("the samples' `VehicleID` casing refused", "TRIMBLE-VEH-13", bug.vehicle_id_casing_refused),
        _planted("`ModifiedOn` written with a Z", "TRIMBLE-VEH-14", bug.modified_on_with_z),
        _planted("a batch PUT renames only its first vehicle", "TRIMBLE-VEH-15", bug.only_the_first_renamed),
        _planted("ids not found reported with code -12", "TRIMBLE-VEH-16", bug.not_found_code_12, "TRIMBLE-DRV-04"),
        _planted("the success message of a delete reworded", "TRIMBLE-VEH-20", bug.delete_message_reworded),
        _planted(
            "deleting an unknown id answered 200", "TRIMBLE-VEH-21", bug.unknown_deletes_answer_200, "TRIMBLE-DRV-05"
        ),
        # Vehicle lists
        _planted("no `first` link", "TRIMBLE-PAGE-01", bug.no_first_link),
        _planted("`offset` ignored", "TRIMBLE-PAGE-02", bug.offset_ignored),
        _planted("no `previous` link", "TRIMBLE-PAGE-04", bug.no_previous_link),
        _planted("the `last` link one past the end", "TRIMBLE-PAGE-05", bug.last_link_past_the_end),
        _planted("`next` links that overlap their page by one", "TRIMBLE-PAGE-06", bug.next_links_overlap),
        _planted("`size` counts the page, not the fleet", "TRIMBLE-PAGE-07", bug.size_of_the_page),
        _planted(
            "lists in order of system id, whatever sortExpression says",
            "TRIMBLE-PAGE-08",
            bug.sorted_by_system_id,
            "TRIMBLE-PAGE-09",
            "TRIMBLE-DRV-06",
        ),
        _planted("sortExpression=vehicleName sorts by vehicle id", "TRIMBLE-PAGE-09", bug.names_sorted_by_id),
        _planted("a limit below 1 or a negative offset replaced by the default", "TRIMBLE-PAGE-11", bug.paging_clamped),
        # Vehicle groups
        _planted("added groups answered without `modifiedOn`", "TRIMBLE-GRP-01", bug.groups_without_modified_on),
        _planted("skipped duplicate groups answered as all added", "TRIMBLE-GRP-02", bug.duplicate_groups_all_added),
        _planted(
            "groups without vehicles left out of the list (an inner join)", "TRIMBLE-GRP-05", bug.empty_groups_unlisted
        ),
        _planted("a group delete answered but not applied", "TRIMBLE-GRP-06", bug.group_delete_not_applied),
        _planted("`vehicleGroups` always empty in the vehicle list", "TRIMBLE-GRP-07", bug.vehicle_groups_empty),
        _planted("taking a vehicle out of a group answered, not applied", "TRIMBLE-GRP-08", bug.unassign_not_applied),
        _planted("unknown vehicle ids in an assignment ignored", "TRIMBLE-GRP-09", bug.unknown_assignments_ignored),
        _planted("the group limit counted as 2,001", "TRIMBLE-GRP-10", bug.group_limit_2001),
        # Drivers
        _planted("added drivers answered with `driverId` (camelCase)", "TRIMBLE-DRV-01", bug.drivers_camel_case),
        _planted("duplicate drivers reported with code -11", "TRIMBLE-DRV-02", bug.duplicate_drivers_code_11),
        # Partner cloud
        _planted("a partner cloud's vehicle lists merged", "TRIMBLE-SCOPE-03", bug.vehicle_lists_across_the_cloud),
        _planted(
            "vehicles found across the cloud, not per account", "TRIMBLE-SCOPE-04", bug.members_found_across_the_cloud
        ),
        _planted("one scope for every account, direct ones too", "TRIMBLE-SCOPE-05", bug.one_scope_for_every_account),
    ),
    off_contract=OffContract("TRIMBLE-CONTRACT-listVehicleGroups", _group_ids_as_strings),
    off_contracts=(
        OffContract(
            "TRIMBLE-CONTRACT-listVehicleGroups", _group_ids_as_strings, description="group ids written as strings"
        ),
        OffContract(
            "TRIMBLE-CONTRACT-listDrivers", off.drivers_answered_206, "Undocumented status code", "lists answered 206"
        ),
        OffContract(
            "TRIMBLE-CONTRACT-deleteDriver",
            off.unknown_driver_deletes_crash,
            "Server error",
            "an unknown id answered 500",
        ),
        OffContract(
            "TRIMBLE-CONTRACT-listAccounts", off.accounts_as_text, "Undocumented Content-Type", "answered as text/plain"
        ),
        # Caught by the coverage phase's `limit=null&limit=null` sent without the other parameters, not by
        # the same value sent among them (Schemathesis 4.32.5 lets that one pass): a coverage phase trimmed
        # of such "repeats" loses it.
        OffContract(
            "TRIMBLE-CONTRACT-listVehicles",
            off.vehicles_ignore_an_unreadable_limit,
            "Schema-violating request accepted",
            "a limit that is not a number ignored",
        ),
        OffContract(
            "TRIMBLE-CONTRACT-listVehicleGroupVehicles",
            off.group_vehicles_throttled_without_retry_after,
            "Missing required response headers",
            "a 429 without Retry-After",
        ),
    ),
)
