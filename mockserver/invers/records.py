"""The invers profile's records: fleets, their API clients, vehicles, their state and sharing."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from fixtures.invers import MASTER_DATA_FIELDS

# How a sharing looks to each side (`sharing.status`).
SHARED_OWN_VEHICLE = "SHARED_OWN_VEHICLE"
SHARED_PARTNER_VEHICLE = "SHARED_PARTNER_VEHICLE"


@dataclass(frozen=True)
class Fleet:
    id: str
    name: str


@dataclass(frozen=True)
class Client:
    """An API client: who a token speaks for. Each client acts for exactly one fleet."""

    client_id: str
    fleet_id: str


@dataclass(slots=True)
class Sharing:
    """A vehicle lent by its owner's fleet to a partner fleet, from `starts_at` until `ends_at` (None: open)."""

    partner_id: str
    starts_at: datetime
    ends_at: datetime | None


@dataclass(slots=True)
class StateValue:
    """One property of a vehicle's state and when it was recorded."""

    value: Any
    recorded_at: datetime


@functools.lru_cache(maxsize=256)
def _shared(names: tuple[str, ...]) -> tuple[str, ...]:
    return names


class VehicleState(MutableMapping):
    """A vehicle's state, name -> `StateValue`, held compactly: a big world holds 400,000 of them.

    The names are a tuple vehicles of a kind share, the values a list, and the times one datetime while every
    value was recorded at once (as a generated vehicle's were), a list after that. A position (`lat`, `lon`)
    is kept packed (`_packed`) and shown as the vendor's object. Each lookup answers a new `StateValue`: change a
    value by assigning one.
    """

    __slots__ = ("_names", "_values", "_times")

    def __init__(self, names: Iterable[str], values: Iterable[Any], recorded_at: datetime | list[datetime]) -> None:
        self._names = _shared(tuple(names))
        self._values = [_packed(value) if type(value) is dict else value for value in values]
        self._times = recorded_at

    @classmethod
    def restored(cls, names: tuple[str, ...], values: list, times: datetime | list[datetime]) -> VehicleState:
        """The state of these parts as a snapshot holds them (already compact), taken as they are."""
        state = cls.__new__(cls)
        state._names, state._values, state._times = names, values, times
        return state

    @classmethod
    def of(cls, entries: Mapping[str, StateValue]) -> VehicleState:
        times = [entry.recorded_at for entry in entries.values()]
        same = bool(times) and all(when == times[0] and when.tzinfo is times[0].tzinfo for when in times)
        return cls(entries, [entry.value for entry in entries.values()], times[0] if same else times)

    def __getitem__(self, name: str) -> StateValue:
        try:
            at = self._names.index(name)
        except ValueError:
            raise KeyError(name) from None
        times = self._times
        return StateValue(_unpacked(self._values[at]), times[at] if isinstance(times, list) else times)

    def __setitem__(self, name: str, entry: StateValue) -> None:
        if name not in self._names:
            entries = dict(self.items())
            entries[name] = entry
            self._replace(entries)
            return
        at = self._names.index(name)
        self._values[at] = _packed(entry.value)
        if not isinstance(self._times, list):
            if entry.recorded_at == self._times and entry.recorded_at.tzinfo is self._times.tzinfo:
                return
            self._times = [self._times] * len(self._names)
        self._times[at] = entry.recorded_at

    def __delitem__(self, name: str) -> None:
        entries = dict(self.items())
        del entries[name]
        self._replace(entries)

    def _replace(self, entries: dict[str, StateValue]) -> None:
        fresh = VehicleState.of(entries) if entries else VehicleState((), (), [])
        self._names, self._values, self._times = fresh._names, fresh._values, fresh._times

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def recorded(self) -> Iterator[tuple[str, Any, datetime]]:
        """(name, value, recorded at) of every entry, without making a `StateValue` of each (views read these)."""
        times = self._times if type(self._times) is list else itertools.repeat(self._times)
        values = [_unpacked(v) if type(v) in _PACKED else v for v in self._values]
        return zip(self._names, values, times, strict=False)  # `times` may repeat forever

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __repr__(self) -> str:
        return f"VehicleState({dict(self.items())!r})"

    def __reduce__(self) -> tuple:
        # As its three parts, not a dict of its slots (the default): a big world pickles 400,000 of these.
        return VehicleState, (self._names, self._values, self._times)


def _packed(value: Any) -> Any:
    """A position of two floats as a complex number (one object of 32 bytes where a dict, or a pair and its two
    floats, take over 100: a big world holds 400,000), of other numbers as a pair; anything else as it is."""
    if type(value) is dict and len(value) == 2 and list(value) == ["lat", "lon"]:
        lat, lon = value["lat"], value["lon"]
        return complex(lat, lon) if type(lat) is float and type(lon) is float else _Position(lat, lon)
    return value


def _unpacked(value: Any) -> Any:
    kind = type(value)
    if kind is complex:
        return {"lat": value.real, "lon": value.imag}
    return {"lat": value[0], "lon": value[1]} if kind is _Position else value


class _Position(tuple):
    """(lat, lon): the vendor's `{"lat": ..., "lon": ...}`, kept small, for a position not of two floats."""

    __slots__ = ()

    def __new__(cls, lat: float, lon: float) -> _Position:
        return tuple.__new__(cls, (lat, lon))

    def __getnewargs__(self) -> tuple[float, float]:
        return tuple(self)


_PACKED = (complex, _Position)


class TelematicsUnit(Mapping):
    """A vehicle's telematics unit, `{"id", "brand", "model"}`, without a dict of its own (one per vehicle)."""

    __slots__ = ("id", "brand", "model")
    KEYS = ("id", "brand", "model")

    def __init__(self, id_: str, brand: str, model: str) -> None:
        self.id, self.brand, self.model = id_, brand, model

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> Mapping[str, Any]:
        """The compact unit for a record of exactly its three strings; any other record as a dict."""
        if sorted(record) == sorted(cls.KEYS) and all(type(record[key]) is str for key in cls.KEYS):
            return cls(record["id"], record["brand"], record["model"])
        return dict(record)

    def __getitem__(self, key: str) -> str:
        if key not in self.KEYS:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.KEYS)

    def __len__(self) -> int:
        return 3

    def __repr__(self) -> str:
        return f"TelematicsUnit({dict(self)!r})"

    def __reduce__(self) -> tuple:
        return TelematicsUnit, (self.id, self.brand, self.model)

    def copy(self) -> dict[str, str]:
        return {"id": self.id, "brand": self.brand, "model": self.model}


class MasterData(MutableMapping):
    """A vehicle's master data, name -> value, without a dict of its own: the fields every vehicle has are
    slots (an unset slot is a field the vehicle lacks), any other field goes to a dict made when one comes."""

    FIELDS = MASTER_DATA_FIELDS
    __slots__ = (*FIELDS, "_extra")

    def __init__(self, fields: Mapping[str, Any] = MappingProxyType({})) -> None:
        self._extra: dict[str, Any] | None = None
        if fields.keys() <= _MASTER_FIELDS:  # as every generated vehicle's: no question per field
            for name, value in fields.items():
                setattr(self, name, value)
            return
        for name, value in fields.items():
            if name in _MASTER_FIELDS:
                setattr(self, name, value)
            else:
                self[name] = value

    @classmethod
    def of_every_field(cls, vin, license_plate, brand, model, custom_name, fuel_type, year, transmission, kind, custom):
        """The master data of a value for each of `FIELDS`, in order (a big world makes 400,000: no loop)."""
        data = cls.__new__(cls)
        data._extra = None
        data.vin, data.license_plate, data.brand, data.model, data.custom_name = (
            vin,
            license_plate,
            brand,
            model,
            custom_name,
        )
        data.fuel_type, data.year_of_production, data.transmission = fuel_type, year, transmission
        data.vehicle_type, data.custom_fields = kind, custom
        return data

    @classmethod
    def restored(cls, values: tuple, extra: dict[str, Any] | None) -> MasterData:
        """The master data of `FIELDS`' values in order (`UNSET`: a field it lacks) and its other fields."""
        data = cls.__new__(cls)
        data._extra = extra
        for name, value in zip(cls.FIELDS, values, strict=True):
            if value is not UNSET:
                setattr(data, name, value)
        return data

    def __getitem__(self, name: str) -> Any:
        if name in _MASTER_FIELDS:
            try:
                return getattr(self, name)
            except AttributeError:
                raise KeyError(name) from None
        if self._extra is None:
            raise KeyError(name)
        return self._extra[name]

    def __setitem__(self, name: str, value: Any) -> None:
        if name in _MASTER_FIELDS:
            setattr(self, name, value)
        else:
            if self._extra is None:
                self._extra = {}
            self._extra[name] = value

    def __delitem__(self, name: str) -> None:
        if name in _MASTER_FIELDS:
            try:
                delattr(self, name)
            except AttributeError:
                raise KeyError(name) from None
        elif self._extra is None:
            raise KeyError(name)
        else:
            del self._extra[name]

    def __iter__(self) -> Iterator[str]:
        for name in self.FIELDS:
            if hasattr(self, name):
                yield name
        if self._extra:
            yield from self._extra

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def copy(self) -> dict[str, Any]:
        """The fields as a dict (what views show), read in one go: the slots that are set, in order."""
        fields = object.__getstate__(self)[1]
        extra = fields.pop("_extra", None)
        if extra:
            fields.update(extra)
        return fields

    def __repr__(self) -> str:
        return f"MasterData({self.copy()!r})"


_MASTER_FIELDS = frozenset(MasterData.FIELDS)
# A field master data lacks, in a snapshot's columns (no JSON value is the Ellipsis, and it pickles as a name).
UNSET = ...


@dataclass(slots=True)
class Vehicle:
    """A vehicle of one fleet (`fleet_id`, its owner), with what it can do and its latest state."""

    id: str
    fleet_id: str
    created_at: datetime
    modified_at: datetime
    master_data: MutableMapping[str, Any]
    telematics_unit: Mapping[str, Any]
    commands: tuple[str, ...]
    state_capabilities: tuple[str, ...]
    state: MutableMapping[str, StateValue]
    sharing: Sharing | None = None

    def __reduce__(self) -> tuple:
        return _by_fields(self)

    def shared_with(self, fleet_id: str) -> bool:
        return self.sharing is not None and self.sharing.partner_id == fleet_id

    def audience(self) -> tuple[str, ...]:
        """The fleets that receive this vehicle's events now: the owner, and the partner while shared."""
        return (self.fleet_id,) if self.sharing is None else (self.fleet_id, self.sharing.partner_id)


def _by_fields(record: Any) -> tuple:
    """Pickle a slots dataclass as its fields in order: a snapshot of a big world holds hundreds of thousands,
    and the default for slots builds a dict of each one's state (twice the time, and garbage to collect)."""
    return type(record), tuple(getattr(record, name) for name in record.__slots__)
