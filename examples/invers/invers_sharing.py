"""A tiny INVERS client: shares one of the fleet's own vehicles with a sharing partner until a given time."""

from __future__ import annotations

from datetime import datetime

import httpx


class InversSharing:
    def __init__(self, base_url: str, client_id: str, client_secret: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=10)
        self.credentials = (client_id, client_secret)

    def partners(self) -> list[str]:
        return [partner["fleet_id"] for partner in self._call("GET", "/sharing-partners")["items"]]

    def vehicle_ids(self) -> list[str]:
        return [vehicle["id"] for vehicle in self._call("GET", "/vehicles", params={"limit": 100})["items"]]

    def share_one(self, partner: str, until: datetime) -> str:
        """Share the first own vehicle that is not shared yet; its id."""
        vehicles = self._call("GET", "/vehicles", params={"limit": 100})["items"]
        vehicle = next(v for v in vehicles if v["sharing"] is None)
        body = {"fleet_id": partner, "ends_at": until.isoformat().replace("+00:00", "Z")}
        self._call("POST", f"/vehicles/{vehicle['id']}/sharing", json=body)
        return vehicle["id"]

    def _call(self, method: str, path: str, **options) -> dict:
        response = self.http.request(method, path, **options)
        if response.status_code == 401:  # no token yet, or it expired (they live 15 minutes): get one
            grant = {"grant_type": "client_credentials"}
            answer = self.http.post("/auth/oauth/token", params=grant, auth=self.credentials).raise_for_status()
            self.http.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
            response = self.http.request(method, path, **options)
        return response.raise_for_status().json()
