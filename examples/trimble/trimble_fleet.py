"""A tiny Trimble client: lists the fleet's vehicles and adds one, renewing its token and retrying a 503 once."""

from __future__ import annotations

import httpx


class TrimbleFleet:
    def __init__(self, base_url: str, api_key: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=10)
        self.api_key = api_key
        self.token: str | None = None

    def vehicle_names(self) -> list[str]:
        return sorted(vehicle["name"] for vehicle in self._call("GET", "/vehicles", params={"limit": 100})["data"])

    def add_vehicle(self, vehicle_id: str, name: str) -> None:
        self._call("POST", "/vehicles", json=[{"vehicleId": vehicle_id, "Name": name}])

    def _call(self, method: str, path: str, **options) -> dict:
        for attempt in range(3):
            if self.token is None:
                answer = self.http.post("/accounts/authenticate", json={"apiKey": self.api_key})
                self.token = answer.raise_for_status().json()["token"]
            response = self.http.request(method, path, headers={"Authorization": f"bearer {self.token}"}, **options)
            if response.status_code == 401:  # expired: authenticate again
                self.token = None
            elif response.status_code != 503 or attempt == 2:  # a 503 is worth one more try
                return response.raise_for_status().json()
        raise RuntimeError("unreachable")
