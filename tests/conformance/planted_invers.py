"""The invers self-tests' data: bugs planted in the running sandbox (monkeypatches of names handlers
and world methods look up when they run), and the rules that must name them."""

from __future__ import annotations

from mockserver.engine.tokens import Grant
from mockserver.invers import access, headers, sharing
from mockserver.invers.records import Vehicle
from mockserver.invers.world import InversWorld

from ..support import INVERS_BASE
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


SELFTEST = SelfTest(
    profile="invers",
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
            "X-INVERS-Flow-ID missing", "INVERS-HDR-01", ("INVERS-HDR-*", "INVERS-AUTH-*"), _flow_id_header_renamed
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
        ),
    ),
    off_contract=OffContract("INVERS-CONTRACT-listSharingPartners", _fleet_ids_as_numbers),
)
