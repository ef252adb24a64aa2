"""Steps that arrange a rule's data through the public API, and put everything back afterwards.

The invers API creates no vehicles, so rules work on the fleets' own: they pick an unshared vehicle of
the kind they need, and whatever they change is undone when the rule ends, whether it held or not:
sharings they start are ended, master data they change is written back, and lock and driving states
they command are commanded back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx
import pytest

from .. import expect
from ..control import ControlPlane
from ..http import quiet_client
from . import GRANT, TOKEN_PATH

PAGE = 100
MAX_PAGES = 200
# Renew a token this long before the server would refuse it.
TOKEN_MARGIN_SECONDS = 120
# The commands that put a state property back to a value.
RESTORING_COMMANDS = {
    "central_lock": {"LOCKED": "lock-central-lock", "UNLOCKED": "unlock-central-lock"},
    "driving_enabled": {True: "enable-driving", False: "disable-driving"},
}


def rfc3339(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"


class Tokens:
    """A bearer token per API client, fetched when first needed and renewed before it runs out, counting
    the time the suite moved a sandbox's clock forward as well as real time."""

    def __init__(self, base_url: str) -> None:
        self._http = quiet_client(base_url)
        self._cache: dict[str, tuple[str, float, int]] = {}
        self._advanced = 0.0

    def _clock(self) -> float:
        return time.monotonic() + self._advanced

    def request(self, credential: dict) -> httpx.Response:
        return self._http.post(TOKEN_PATH, params=GRANT, auth=(credential["client_id"], credential["client_secret"]))

    def get(self, credential: dict) -> str:
        cached = self._cache.get(credential["client_id"])
        if cached is None or self._clock() - cached[1] > cached[2] - TOKEN_MARGIN_SECONDS:
            response = self.request(credential)
            # The client got a token when the run began (target.py); an API that now answers otherwise fails
            # the rules that need the token, with this as their evidence.
            expect.status(response, 200)
            body = expect.json_of(response)
            token = body.get("access_token") if isinstance(body, dict) else None
            expect.true(isinstance(token, str) and token, f"POST {TOKEN_PATH} answers an access_token")
            cached = self._cache[credential["client_id"]] = (
                token,
                self._clock(),
                int(body.get("expires_in", 900)),
            )
        return cached[0]

    def advanced(self, seconds: float) -> None:
        """The server's clock was moved forward by `seconds`."""
        self._advanced += seconds

    def close(self) -> None:
        self._http.close()


class Bearer(httpx.Auth):
    """Sends the client's current token with every request."""

    def __init__(self, tokens: Tokens, credential: dict) -> None:
        self._tokens, self._credential = tokens, credential

    def auth_flow(self, request: httpx.Request):
        request.headers["Authorization"] = f"Bearer {self._tokens.get(self._credential)}"
        yield request


@dataclass
class Fleet:
    """One fleet of the API under test, as a rule acts on it through its API client."""

    credential: dict
    http: httpx.Client  # logs exchanges for the report
    cleaner: httpx.Client  # does not: clean-up is not evidence
    _sharings: list[str] = field(default_factory=list)
    _restores: list[Callable[[], None]] = field(default_factory=list)

    @property
    def fleet_id(self) -> str:
        return self.credential["fleet_id"]

    # --- reading ---------------------------------------------------------------------------------

    def vehicles(self, **params) -> list[dict]:
        """Every vehicle of the fleet's list, following `next_page_token`."""
        params.setdefault("limit", PAGE)
        items: list[dict] = []
        token = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            response = self.http.get("/vehicles", params={**params, **({"page_token": token} if token else {})})
            expect.status(response, 200)
            body = expect.json_of(response)
            items += body.get("items", [])
            token = body.get("next_page_token")
            if not token:
                return items
            # A list that hands out a token twice never ends: that is a failure, not a long list.
            expect.true(str(token) not in seen, f"each next_page_token leads on (got {token!r} twice)")
            seen.add(str(token))
        pytest.skip(f"not checked: the fleet's list has more than {MAX_PAGES * PAGE} vehicles")

    def find(
        self,
        *,
        command: str | None = None,
        lacking: str | None = None,
        in_use: bool | None = None,
        avoid: tuple[str, ...] = (),
    ) -> dict:
        """An unshared vehicle of the fleet's own with (or lacking) a command, in use or idle; the rule is
        not checked when the fleet has none."""
        for vehicle in self.vehicles():
            if vehicle.get("fleet_id") != self.fleet_id or vehicle.get("sharing") or vehicle.get("id") in avoid:
                continue
            commands = vehicle.get("capabilities", {}).get("commands", [])
            ignition_on = (vehicle.get("state", {}).get("ignition") or {}).get("value") == "ON"
            if (
                (command is None or command in commands)
                and (lacking is None or lacking not in commands)
                and (in_use is None or in_use == ignition_on)
            ):
                return vehicle
        wanted = ", ".join(
            part
            for part in (
                command and f"with {command}",
                lacking and f"without {lacking}",
                in_use is not None and ("in use" if in_use else "idle"),
            )
            if part
        )
        pytest.skip(f"not checked: fleet {self.fleet_id} has no unshared vehicle {wanted or 'at all'}")

    def idle_car(self) -> dict:
        """An unshared vehicle that can be unlocked and locked now."""
        vehicle = self.find(command="LOCK_CENTRAL_LOCK", in_use=False)
        if "UNLOCK_CENTRAL_LOCK" not in vehicle["capabilities"]["commands"]:
            pytest.skip(f"not checked: vehicle {vehicle['id']} locks but does not unlock")
        return vehicle

    # --- changes that are undone ------------------------------------------------------------------

    def start_sharing(self, vehicle_id: str, partner_id: str, **body) -> httpx.Response:
        """POST a sharing; if it starts, it is ended at clean-up."""
        response = self.http.post(f"/vehicles/{vehicle_id}/sharing", json={"fleet_id": partner_id, **body})
        if response.status_code == 200:
            self._sharings.append(vehicle_id)
        return response

    def share(self, vehicle_id: str, partner_id: str, **body) -> dict:
        """A sharing started for sure (a failure here is the rule's failure)."""
        response = self.start_sharing(vehicle_id, partner_id, **body)
        expect.status(response, 200)
        return expect.json_of(response)

    def keep_state(self, vehicle: dict) -> None:
        """Command the vehicle's lock and driving state back to what it is now, at clean-up."""
        commands = vehicle["capabilities"]["commands"]
        for name, by_value in RESTORING_COMMANDS.items():
            value = (vehicle["state"].get(name) or {}).get("value")
            command = by_value.get(value)
            if command and command.upper().replace("-", "_") in commands:
                self._restores.append(
                    lambda command=command: self.cleaner.post(f"/vehicles/{vehicle['id']}/commands/{command}")
                )

    def keep_master_data(self, vehicle: dict, fields: tuple[str, ...]) -> None:
        """Write the vehicle's `fields` of master data back at clean-up."""
        original = {name: vehicle["master_data"].get(name) for name in fields}
        self._restores.append(lambda: self.cleaner.patch(f"/vehicles/{vehicle['id']}", json={"master_data": original}))

    def clean_up(self) -> None:
        # Sharings end first: the owner may not command a vehicle back while it is shared.
        for vehicle_id in self._sharings:
            self.cleaner.delete(f"/vehicles/{vehicle_id}/sharing")
        for restore in reversed(self._restores):
            restore()


class ServerClock:
    """The server's time: a fleetbox sandbox's virtual clock, which the suite may move, or the `Date` of
    the server's answers, which only waiting moves."""

    def __init__(self, sandbox: ControlPlane | None, probe: Callable[[], httpx.Response]) -> None:
        self._sandbox = sandbox
        self._probe = probe

    def now(self) -> datetime:
        if self._sandbox is not None:
            return self._sandbox.now()
        date = self._probe().headers.get("date")
        return parsedate_to_datetime(date) if date else datetime.now(UTC)

    def let_pass(self, seconds: float, most_to_wait: float = 15) -> None:
        """Let `seconds` pass on the server: move a sandbox's clock, or wait for a short while."""
        if self._sandbox is not None:
            self._sandbox.advance(seconds)
        elif seconds <= most_to_wait:
            time.sleep(seconds)
        else:
            pytest.skip(
                f"not checked: needs {seconds:.0f} s to pass on the server (a fleetbox sandbox's clock can be moved)"
            )

    def later(self, seconds: float) -> str:
        return rfc3339(self.now() + timedelta(seconds=seconds))
