"""Steps that arrange a rule's data through the public API, and remove it again afterwards.

Everything a run creates carries the run's id (`fbx` and six hex digits) in its ids and names, so it
never collides with real data, and is deleted when the rule ends, whether it held or not.
"""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
import pytest

from .. import expect

PAGE = 100
MAX_PAGES = 200
# Concurrent clean-up requests: enough to keep a server busy, few enough not to flood a vendor's API.
CLEAN_UP_WORKERS = 4


@dataclass
class Account:
    """One account of the API under test, as a rule acts on it."""

    http: httpx.Client  # logs exchanges for the report
    cleaner: httpx.Client  # does not: clean-up is not evidence
    run_id: str
    account_id: int | None = None
    _serial: itertools.count = field(default_factory=lambda: itertools.count(1))
    _vehicles: set[str] = field(default_factory=set)
    _drivers: set[str] = field(default_factory=set)
    _groups: set[int] = field(default_factory=set)
    _unsure_groups: bool = False

    # --- names that are this run's own ----------------------------------------------------------

    def new_id(self, hint: str = "v") -> str:
        return f"{self.run_id}-{hint}{next(self._serial)}"

    def new_name(self, hint: str = "vehicle") -> str:
        return f"{self.run_id} {hint} {next(self._serial)}"

    def new_vehicle(self) -> dict:
        return {"vehicleId": self.new_id(), "Name": self.new_name()}

    # --- vehicles and drivers ------------------------------------------------------------------

    def post(self, path: str, items: list[dict]) -> httpx.Response:
        """A batch POST (remembering every id it sends, for clean-up)."""
        for item in items:
            for key, value in item.items():
                if key.lower() in ("vehicleid", "driverid") and isinstance(value, str):
                    (self._vehicles if path == "/vehicles" else self._drivers).add(value)
        return self.http.post(path, json=items)

    def add_vehicles(self, count: int) -> list[dict]:
        """`count` new vehicles, added for sure (a failure here is the rule's failure)."""
        response = self.post("/vehicles", [self.new_vehicle() for _ in range(count)])
        expect.status(response, 200)
        data = expect.json_of(response).get("data", [])
        expect.equal(len(data), count, "the number of vehicles added")
        return data

    def add_drivers(self, count: int) -> list[dict]:
        items = [{"driverId": self.new_id("d"), "Name": self.new_name("driver")} for _ in range(count)]
        response = self.post("/drivers", items)
        expect.status(response, 200)
        return expect.json_of(response)["data"]

    def listed(self, path: str = "/vehicles", **params) -> list[dict]:
        """Every item of a list, following `next` links from the first page."""
        params.setdefault("limit", PAGE)
        response = self.http.get(path, params=params)
        items = []
        for _ in range(MAX_PAGES):
            expect.status(response, 200)
            body = expect.json_of(response)
            items += body.get("data", [])
            if "next" not in body:
                return items
            response = self.http.get(body["next"]["href"])
        pytest.skip(f"not checked: the list at {path} has more than {MAX_PAGES * PAGE} items")

    def listed_vehicle(self, vehicle_id: str) -> dict | None:
        return next((v for v in self.listed() if v.get("vehicleId") == vehicle_id), None)

    # --- vehicle groups --------------------------------------------------------------------------

    def add_groups(self, names: list[str]) -> httpx.Response:
        response = self.http.post("/vehiclegroups", json=[{"vehicleGroupName": name} for name in names])
        try:
            data = response.json().get("data", []) if response.is_success else []
            self._groups.update(g["vehicleGroupId"] for g in data if isinstance(g, dict) and "vehicleGroupId" in g)
        except (ValueError, AttributeError, TypeError):
            data = None
        if not isinstance(data, list) or len(data) < len(names):
            # The answer does not name every group it may have added: clean-up looks for them by name.
            self._unsure_groups = True
        return response

    def add_group(self) -> dict:
        response = self.add_groups([self.new_name("group")])
        expect.status(response, 200)
        return expect.json_of(response)["data"][0]

    # --- clean-up ----------------------------------------------------------------------------------

    def clean_up(self) -> None:
        for vehicle_id in self._vehicles:
            self.cleaner.delete("/vehicles", params={"vehicleId": vehicle_id})
        for driver_id in self._drivers:
            self.cleaner.delete("/drivers", params={"driverId": driver_id})
        if self._unsure_groups:
            self._groups |= self._groups_named_by_this_run()
        groups = sorted(self._groups)
        if groups:
            # The first alone, so the requests a rule wrote are noted in one thread; the rest (the group
            # limit's rule leaves two thousand) a few at a time: each waits on the API, not on us.
            self.cleaner.delete(f"/vehiclegroups/{groups[0]}")
            with ThreadPoolExecutor(max_workers=CLEAN_UP_WORKERS) as pool:
                list(pool.map(lambda group_id: self.cleaner.delete(f"/vehiclegroups/{group_id}"), groups[1:]))

    def _groups_named_by_this_run(self) -> set[int]:
        """The account's groups whose names carry the run's id (every page; none if the list fails)."""
        found: set[int] = set()
        for page in range(MAX_PAGES):
            response = self.cleaner.get("/vehiclegroups", params={"offset": page * PAGE, "limit": PAGE})
            try:
                data = response.json().get("data", []) if response.status_code == 200 else []
            except (ValueError, AttributeError):
                data = []
            found |= {
                g["vehicleGroupId"]
                for g in data
                if isinstance(g, dict) and str(g.get("vehicleGroupName", "")).startswith(self.run_id)
            }
            if len(data) < PAGE:
                return found
        return found
