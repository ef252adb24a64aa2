"""The invers self-tests' data: bugs planted in the running sandbox (monkeypatches of names handlers
and world methods look up when they run), and the rules that must name them."""

from __future__ import annotations

from mockserver.engine.tokens import Grant
from mockserver.invers import access, headers, sharing
from mockserver.invers.records import Vehicle
from mockserver.invers.world import InversWorld

from ..support import INVERS_BASE
from . import bugs_fleetshare as share
from . import bugs_invers as bug
from . import off_contract as off
from .selftest import OffContract, PlantedBug, SelfTest

# Every scenario rule; the contract layer is covered by the clean run.
SCENARIOS = (
    "INVERS-AUTH-*",
    "INVERS-HDR-*",
    "INVERS-RATE-*",
    "INVERS-VEH-*",
    "INVERS-CMD-*",
    "INVERS-SHARE-*",
    "INVERS-SHARED-*",
    "INVERS-END-*",
    "INVERS-EVT-*",
)


def _owner_commands_while_shared(monkeypatch):
    monkeypatch.setattr(access, "require_commandable", lambda vehicle, fleet_id: None)


def _partner_edits_master_data(monkeypatch):
    real = access.require_owner
    monkeypatch.setattr(
        access,
        "require_owner",
        lambda vehicle, fleet_id, action: None if "master data" in action else real(vehicle, fleet_id, action),
    )


def _shared_vehicles_left_out_of_the_partners_list(monkeypatch):
    real = InversWorld.list_vehicles

    def list_vehicles(self, client, limit, page_token, q):
        page = real(self, client, limit, page_token, q)
        return {**page, "items": [v for v in page["items"] if v["fleet_id"] == client.fleet_id]}

    monkeypatch.setattr(InversWorld, "list_vehicles", list_vehicles)


def _flow_id_header_renamed(monkeypatch):
    monkeypatch.setattr(headers, "FLOW_ID", "X-Flow-ID")


def _expired_tokens_accepted(monkeypatch):
    monkeypatch.setattr(Grant, "expired_at", lambda self, instant: False)


def _sharings_outlive_their_end(monkeypatch):
    monkeypatch.setattr(sharing, "end_expired", lambda shared, clock, announce: None)


def _non_partners_receive_vehicles(monkeypatch):
    # Every fleet has an entry among the partners, so any existing fleet is let through.
    monkeypatch.setattr(
        sharing,
        "check_partner",
        lambda partners, owner_id, partner_id: (
            None if partner_id in partners else sharing.ReferencedResourceNotFound("no such fleet")
        ),
    )


def _events_for_the_owner_only(monkeypatch):
    monkeypatch.setattr(Vehicle, "audience", lambda self: (self.fleet_id,))


def _fleet_ids_as_numbers(monkeypatch):
    from mockserver.invers import views

    real = views.fleet_reference
    monkeypatch.setattr(views, "fleet_reference", lambda fleet: {**real(fleet), "fleet_id": 17})


def _planted(description: str, rule: str, plant, *also: str) -> PlantedBug:
    """A bug for `rule` (and `also`), running only those rules."""
    return PlantedBug(description, rule, (), plant, also=also)


SELFTEST = SelfTest(
    profile="invers",
    exact=True,
    base=INVERS_BASE,
    listed=("INVERS-CONTRACT-startSharing", "INVERS-STATEFUL-01"),
    in_html="INVERS-SHARED-04",
    planted=(
        PlantedBug(
            "the owner's command accepted while shared",
            "INVERS-SHARED-04",
            ("INVERS-SHARED-*",),
            _owner_commands_while_shared,
        ),
        PlantedBug(
            "a partner's master-data PATCH accepted",
            "INVERS-SHARED-06",
            ("INVERS-SHARED-*",),
            _partner_edits_master_data,
        ),
        PlantedBug(
            "the shared vehicle missing from the partner's list",
            "INVERS-SHARED-01",
            ("INVERS-SHARED-*",),
            _shared_vehicles_left_out_of_the_partners_list,
        ),
        PlantedBug(
            "X-INVERS-Flow-ID missing",
            "INVERS-HDR-01",
            ("INVERS-HDR-*", "INVERS-AUTH-*"),
            _flow_id_header_renamed,
            # Every problem document repeats the flow id, so every rule expecting one fails too.
            also=(*(f"INVERS-AUTH-0{n}" for n in range(2, 7)), "INVERS-HDR-02", "INVERS-HDR-03", "INVERS-HDR-04"),
        ),
        PlantedBug("an expired token accepted", "INVERS-AUTH-06", ("INVERS-AUTH-*",), _expired_tokens_accepted),
        PlantedBug(
            "a sharing that outlives its ends_at", "INVERS-END-04", ("INVERS-END-*",), _sharings_outlive_their_end
        ),
        PlantedBug(
            "a vehicle shared with a fleet that is not a partner",
            "INVERS-SHARE-04",
            ("INVERS-SHARE-*",),
            _non_partners_receive_vehicles,
        ),
        PlantedBug(
            "a shared vehicle's events withheld from the partner",
            "INVERS-EVT-01",
            ("INVERS-EVT-0[1-4]",),
            _events_for_the_owner_only,
            also=("INVERS-EVT-02", "INVERS-EVT-04"),
        ),
        # Authentication
        _planted("tokens that last an hour", "INVERS-AUTH-01", bug.token_lifetime_an_hour),
        _planted("a token request without credentials answered 400", "INVERS-AUTH-02", bug.no_credentials_answered_400),
        _planted(
            "a wrong secret answered with OAuth's {error: invalid_client}, no problem document",
            "INVERS-AUTH-03",
            bug.wrong_secret_answered_as_oauth_error,
        ),
        _planted("an API request without a token answered 403", "INVERS-AUTH-04", bug.no_token_answered_403),
        _planted("an unknown token called missing credentials", "INVERS-AUTH-05", bug.unknown_token_called_missing),
        _planted("the vehicle list not filtered by fleet", "INVERS-AUTH-07", bug.every_fleets_vehicles_listed),
        # Problems and headers
        _planted("one flow id per token, not per request", "INVERS-HDR-02", bug.flow_id_per_session),
        _planted("404 problems without type_documentation", "INVERS-HDR-03", bug.problem_without_documentation),
        _planted("an over-long license plate cut to 30 characters", "INVERS-HDR-04", bug.long_plates_cut),
        _planted("timestamps with +00:00 instead of Z", "INVERS-HDR-05", bug.timestamps_with_offset),
        # Rate limits
        _planted("X-Rate-Limit-Reset as seconds left, not epoch", "INVERS-RATE-01", bug.reset_as_duration),
        _planted("X-Rate-Limit-Remaining stuck at the limit", "INVERS-RATE-02", bug.remaining_stuck),
        _planted("a 429 without Retry-After", "INVERS-RATE-03", bug.no_retry_after),
        _planted("one quota shared by every API client", "INVERS-RATE-04", bug.one_quota_for_everyone),
        # Vehicles and commands
        _planted("no next_page_token", "INVERS-VEH-01", bug.no_next_page_token),
        _planted("the cursor skips the last vehicle of each page", "INVERS-VEH-02", bug.cursor_skips_a_vehicle),
        _planted("a vehicle read without its capabilities", "INVERS-VEH-03", bug.no_capabilities),
        _planted("a master-data PATCH answered but not applied", "INVERS-VEH-04", bug.patch_not_applied),
        _planted("unknown master-data properties silently dropped", "INVERS-VEH-05", bug.unknown_master_data_dropped),
        _planted(
            "every fleet sees every vehicle", "INVERS-VEH-06", bug.everyone_sees_every_vehicle, "INVERS-SHARED-08"
        ),
        _planted("commands answered 202 without the state", "INVERS-CMD-01", bug.commands_answer_202),
        _planted("lock-central-lock answered but not carried out", "INVERS-CMD-02", bug.lock_not_carried_out),
        _planted("a command outside the capabilities accepted", "INVERS-CMD-03", bug.unsupported_commands_accepted),
        _planted("locking a vehicle in use allowed", "INVERS-CMD-04", bug.locking_in_use_allowed),
        # FleetShare
        _planted("sharing partners listed without names", "INVERS-SHARE-01", share.partners_without_names),
        _planted("a new sharing's status answered as SHARED", "INVERS-SHARE-02", share.sharing_status_shared),
        _planted(
            "an open-ended sharing answered with a default end", "INVERS-SHARE-03", share.open_sharings_get_an_end
        ),
        _planted("a second sharing replaces the first", "INVERS-SHARE-05", share.second_sharing_replaces_the_first),
        _planted("an ends_at in the past accepted", "INVERS-SHARE-06", share.past_ends_accepted),
        _planted("the partner may share a vehicle shared with it", "INVERS-SHARE-07", share.partners_share),
        _planted(
            "a PATCH of the sharing answered with the unchanged vehicle",
            "INVERS-SHARE-08",
            share.sharing_change_not_applied,
        ),
        _planted(
            "GET /vehicles/{id} finds the fleet's own vehicles only", "INVERS-SHARED-02", share.partners_cannot_read
        ),
        _planted(
            "the owner's list leaves out its shared vehicles", "INVERS-SHARED-03", share.owners_lose_shared_vehicles
        ),
        _planted("the partner's commands refused", "INVERS-SHARED-05", share.partner_commands_refused),
        _planted("the partner may change or end the sharing", "INVERS-SHARED-07", share.partners_manage_the_sharing),
        _planted("the owner's DELETE of a sharing answered, not applied", "INVERS-END-01", share.end_not_applied),
        _planted(
            "the owner's commands still refused after the end", "INVERS-END-02", share.commands_refused_after_a_sharing
        ),
        _planted("the partner's give-back answered, not applied", "INVERS-END-03", share.give_back_not_applied),
        _planted(
            "ending a sharing that does not exist answered 204", "INVERS-END-05", share.nothing_to_end_answered_204
        ),
        # Events
        _planted("events without the request's flow id", "INVERS-EVT-01", share.events_without_flow_id),
        _planted("no VehicleStateRecorded events", "INVERS-EVT-02", share.no_state_recorded_events),
        _planted("SHARING_ENDED for the owner only", "INVERS-EVT-03", share.sharing_ended_for_the_owner_only),
        _planted("webhooks never called", "INVERS-EVT-05", share.webhooks_never_called),
    ),
    off_contract=OffContract("INVERS-CONTRACT-listSharingPartners", _fleet_ids_as_numbers),
    off_contracts=(
        OffContract(
            "INVERS-CONTRACT-listSharingPartners", _fleet_ids_as_numbers, description="fleet ids written as numbers"
        ),
        OffContract(
            "INVERS-CONTRACT-updateVehicle", off.patch_answered_202, "Undocumented status code", "answered 202, empty"
        ),
        OffContract(
            "INVERS-CONTRACT-getVehicle", off.unknown_vehicles_crash, "Server error", "an unknown id answered 500"
        ),
        OffContract(
            "INVERS-CONTRACT-sendCommand",
            off.command_problems_as_plain_json,
            "Undocumented Content-Type",
            "problems sent as application/json",
        ),
        OffContract(
            "INVERS-CONTRACT-listVehicles",
            off.list_without_flow_id,
            "Missing required response headers",
            "no X-INVERS-Flow-ID",
        ),
    ),
)
