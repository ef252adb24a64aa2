"""Loading and exporting the trimble world document (`TrimbleState` in openapi/sandbox.yaml).

Loading checks what a schema cannot: unique ids, references that resolve, names unique in their
scope. Any inconsistency raises `Unprocessable` before anything is built, so an import is all or nothing.
"""

from __future__ import annotations

from fixtures.trimble import local_timestamp, parse_local_timestamp
from mockserver.engine.errors import Unprocessable

from .fleet import Fleet, Scope
from .records import CUSTOMER, DIRECT, DRIVERS, PARTNER, VEHICLES, Account, Member, MemberKind, VehicleGroup

MEMBER_LISTS = ((VEHICLES, "vehicles"), (DRIVERS, "drivers"))


def load_accounts(records: list[dict]) -> dict[int, Account]:
    accounts: dict[int, Account] = {}
    for record in records:
        account = Account(record["AccountId"], record["AccountName"], record["type"], record.get("partnerAccountId"))
        if account.id in accounts:
            raise Unprocessable(f"Account {account.id} appears twice.")
        accounts[account.id] = account
    for account in accounts.values():
        partner = accounts.get(account.partner_id) if account.partner_id is not None else None
        if account.type == CUSTOMER and (partner is None or partner.type != PARTNER):
            raise Unprocessable(f"Customer account {account.id} must name an existing partner account.")
        if account.type != CUSTOMER and account.partner_id is not None:
            raise Unprocessable(f"Only customer accounts have a partnerAccountId (account {account.id}).")
    return accounts


def build_fleets(accounts: dict[int, Account]) -> dict[int, Fleet]:
    """An empty fleet per account; a partner and its customers share one scope."""
    scopes: dict[int, Scope] = {}
    fleets = {}
    for account in accounts.values():
        cloud_id = account.partner_id if account.type == CUSTOMER else account.id
        scope = scopes.setdefault(cloud_id, Scope(partner_cloud=account.type != DIRECT))
        fleets[account.id] = Fleet(account, scope)
    return fleets


def _timestamp(text: str, where: str):
    try:
        return parse_local_timestamp(text)
    except ValueError as error:
        raise Unprocessable(f"{where}: {text!r} is not a timestamp.") from error


def _load_members(fleet: Fleet, kind: MemberKind, records: list[dict], seen_ids: set[int]) -> None:
    # A big world loads hundreds of thousands of these: each id and name is folded once, and the message
    # naming a record is only written for one that is refused.
    id_key, account_id, scope = kind.write_id_key, fleet.account.id, fleet.scope
    for record in records:
        external_id, name, system_id = record[id_key], record["Name"], record["Id"]
        folded = external_id.casefold(), name.casefold()
        if system_id in seen_ids:
            raise Unprocessable(f"{kind.noun} {external_id!r} of account {account_id}: Id {system_id} is used twice.")
        if scope.taken(kind, folded):
            raise Unprocessable(
                f"{kind.noun} {external_id!r} of account {account_id}: its id or name is already used in its scope."
            )
        seen_ids.add(system_id)
        try:
            modified = parse_local_timestamp(record["ModifiedOn"])
        except ValueError:
            modified = _timestamp(record["ModifiedOn"], f"{kind.noun} {external_id!r} of account {account_id}")
        fleet.add_member(kind, Member(system_id, external_id, name, modified, account_id), folded)


def _load_groups(fleet: Fleet, document: dict, seen_ids: set[int]) -> None:
    for record in document["vehicleGroups"]:
        group_id, name = record["vehicleGroupId"], record["vehicleGroupName"]
        if group_id in seen_ids or name.casefold() in fleet.group_names:
            raise Unprocessable(f"Vehicle group {group_id} ({name!r}) repeats an id or a name.")
        seen_ids.add(group_id)
        group = VehicleGroup(group_id, name, _timestamp(record["modifiedOn"], f"vehicle group {group_id}"))
        fleet.groups[group_id] = group
        fleet.group_names[name.casefold()] = group
    for assignment in document["assignments"]:
        group = fleet.groups.get(assignment["vehicleGroupId"])
        vehicle = fleet.find(VEHICLES, assignment["vehicleId"])
        if group is None or vehicle is None:
            raise Unprocessable(f"Assignment {assignment} names a group or vehicle account {fleet.account.id} lacks.")
        group.vehicle_ids[vehicle.id] = None
        fleet.link(vehicle.id, group)


def load(document: dict) -> tuple[dict[int, Account], dict[int, Fleet], dict[str, int]]:
    """A state document's accounts, fleets and id sequences, or `Unprocessable` naming the first inconsistency."""
    accounts = load_accounts(document["accounts"])
    if not any(account.type != CUSTOMER for account in accounts.values()):
        raise Unprocessable("The state needs at least one direct or partner account (one with an API key).")
    fleets = build_fleets(accounts)
    seen: dict[str, set[int]] = {"vehicle": set(), "driver": set(), "group": set()}
    loaded: set[int] = set()
    for fleet_document in document["fleets"]:
        fleet = fleets.get(fleet_document["accountId"])
        if fleet is None or fleet.account.id in loaded:
            raise Unprocessable(f"Fleet of account {fleet_document['accountId']} is unknown or repeated.")
        loaded.add(fleet.account.id)
        for kind, key in MEMBER_LISTS:
            _load_members(fleet, kind, fleet_document[key], seen[kind.noun])
        _load_groups(fleet, fleet_document, seen["group"])
    sequences = document["sequences"]
    # A sequence never hands out an id already in use, even from a hand-edited document.
    counters = {
        "vehicle": max([sequences["vehicle"], *seen["vehicle"]]),
        "driver": max([sequences["driver"], *seen["driver"]]),
        "vehicleGroup": max([sequences["vehicleGroup"], *seen["group"]]),
    }
    return accounts, fleets, counters


def export(accounts: dict[int, Account], fleets: dict[int, Fleet], sequences: dict[str, int]) -> dict:
    """A world's accounts, fleets and id sequences as a state document, which `load` reads back."""
    account_records = []
    for account in accounts.values():
        record = {"AccountId": account.id, "AccountName": account.name, "type": account.type}
        if account.partner_id is not None:
            record["partnerAccountId"] = account.partner_id
        account_records.append(record)
    fleet_records = []
    for fleet in fleets.values():
        vehicles = fleet.members[VEHICLES.noun].values()
        fleet_records.append(
            {
                "accountId": fleet.account.id,
                **{
                    key: [_member_record(kind, m) for m in fleet.members[kind.noun].values()]
                    for kind, key in MEMBER_LISTS
                },
                "vehicleGroups": [
                    {"vehicleGroupId": g.id, "vehicleGroupName": g.name, "modifiedOn": local_timestamp(g.modified_on)}
                    for g in fleet.groups.values()
                ],
                "assignments": [
                    {"vehicleGroupId": group.id, "vehicleId": vehicle.external_id}
                    for vehicle in vehicles
                    for group in fleet.groups_of(vehicle)
                ],
            }
        )
    return {"accounts": account_records, "fleets": fleet_records, "sequences": dict(sequences)}


def _member_record(kind: MemberKind, member: Member) -> dict:
    return {
        "Id": member.id,
        kind.write_id_key: member.external_id,
        "Name": member.name,
        "ModifiedOn": local_timestamp(member.modified_on),
    }
