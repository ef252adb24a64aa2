"""The trimble profile's JSON shapes: PascalCase for written vehicles and drivers, camelCase elsewhere."""

from __future__ import annotations

from collections.abc import Sequence

from fixtures.trimble import local_timestamp

from .records import Member, MemberKind, VehicleGroup


def member_written(kind: MemberKind, member: Member) -> dict:
    """A vehicle or driver as `POST`/`PUT` answer it (the order of the vendor's sample)."""
    return {
        "Id": member.id,
        "Name": member.name,
        kind.write_id_key: member.external_id,
        "ModifiedOn": local_timestamp(member.modified_on),
    }


def member_listed(kind: MemberKind, member: Member, groups: Sequence[VehicleGroup] = ()) -> dict:
    """A vehicle or driver as lists show it; `vehicleGroups` only when it belongs to any."""
    item = {
        "id": member.id,
        "name": member.name,
        kind.list_id_key: member.external_id,
        "modifiedOn": local_timestamp(member.modified_on),
    }
    if groups:  # most members are in no group or one: nothing to sort
        ordered = sorted(groups, key=_group_id) if len(groups) > 1 else groups
        item["vehicleGroups"] = [group_reference(group) for group in ordered]
    return item


def _group_id(group: VehicleGroup) -> int:
    return group.id


def group_reference(group: VehicleGroup) -> dict:
    return {"vehicleGroupId": group.id, "vehicleGroupName": group.name}


def group_view(group: VehicleGroup) -> dict:
    return {
        "vehicleGroupId": group.id,
        "vehicleGroupName": group.name,
        "modifiedOn": local_timestamp(group.modified_on),
    }


def batch_error(code: int, message: str, duplicate_ids: list[str], ids_not_found: list[str]) -> dict:
    """The `error` object of a partial success; each id list appears only when it has ids."""
    error: dict = {"message": message, "code": code}
    if duplicate_ids:
        error["duplicate_ids"] = duplicate_ids
    if ids_not_found:
        error["ids_not_found"] = ids_not_found
    return error
