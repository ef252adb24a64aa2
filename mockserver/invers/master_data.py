"""Changing a vehicle's master data: a partial update in the shape of `MasterDataUpdate` (invers.yaml)."""

from __future__ import annotations

from mockserver.engine.errors import FieldError, InvalidInput

from .records import Vehicle

# fleetbox's bound, so repeated updates cannot grow a vehicle without end (the vendor documents none).
MAX_CUSTOM_FIELDS = 50


def apply_update(vehicle: Vehicle, update: dict) -> bool:
    """Apply the fields of `update` (already validated by the spec), all or nothing; whether anything changed.

    Fields replace the current value (`null` clears it); `custom_fields` is merged key by key, and a
    `null` value removes its key.
    """
    data = vehicle.master_data
    fields = merged_custom_fields(data["custom_fields"], update.get("custom_fields", {}))
    changed = fields != data["custom_fields"]
    for key, value in update.items():
        if key != "custom_fields" and data.get(key) != value:
            data[key] = value
            changed = True
    data["custom_fields"] = fields
    return changed


def merged_custom_fields(current: dict, changes: dict) -> dict:
    merged = dict(current)
    for name, value in changes.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    if len(merged) > MAX_CUSTOM_FIELDS:
        message = f"a vehicle holds at most {MAX_CUSTOM_FIELDS} custom fields; this update would leave {len(merged)}."
        raise InvalidInput(f"master_data.custom_fields: {message}", (FieldError("master_data.custom_fields", message),))
    return merged
