"""A sandbox's credentials, typed for the shipped profiles (`TrimbleCredentials` and friends of sandbox.yaml).

Profiles added through `$FLEETBOX_PROFILES` keep their credentials as the JSON the control plane answered
(`Credentials.raw[name]`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TrimbleCustomer:
    account_id: int
    account_name: str


@dataclass(frozen=True)
class TrimbleAccount:
    account_id: int
    account_name: str
    api_key: str
    type: str
    customer_accounts: tuple[TrimbleCustomer, ...] = ()


@dataclass(frozen=True)
class TrimbleCredentials:
    accounts: tuple[TrimbleAccount, ...]

    @classmethod
    def of(cls, data: list[dict]) -> TrimbleCredentials:
        return cls(
            tuple(
                TrimbleAccount(
                    a["accountId"],
                    a["accountName"],
                    a["apiKey"],
                    a["type"],
                    tuple(TrimbleCustomer(c["accountId"], c["accountName"]) for c in a.get("customerAccounts", ())),
                )
                for a in data
            )
        )

    @property
    def direct(self) -> TrimbleAccount:
        """The first direct account."""
        return next(a for a in self.accounts if a.type == "direct")

    @property
    def partner(self) -> TrimbleAccount:
        """The first partner account (its customers in `customer_accounts`)."""
        return next(a for a in self.accounts if a.type == "partner")


@dataclass(frozen=True)
class InversClient:
    client_id: str
    client_secret: str
    fleet_id: str
    name: str


@dataclass(frozen=True)
class InversCredentials:
    """One API client per fleet; the first fleet shares with the second and third (see the README)."""

    fleets: tuple[InversClient, ...]

    @classmethod
    def of(cls, data: list[dict]) -> InversCredentials:
        return cls(tuple(InversClient(c["client_id"], c["client_secret"], c["fleet_id"], c["name"]) for c in data))


@dataclass(frozen=True)
class HourfleetApplication:
    client_id: str
    client_secret: str
    redirect_uri: str


@dataclass(frozen=True)
class HourfleetUser:
    username: str
    password: str
    role: str


@dataclass(frozen=True)
class HourfleetCredentials:
    client_applications: tuple[HourfleetApplication, ...]
    users: tuple[HourfleetUser, ...]

    @classmethod
    def of(cls, data: dict) -> HourfleetCredentials:
        apps = tuple(
            HourfleetApplication(a["client_id"], a["client_secret"], a["redirect_uri"])
            for a in data["client_applications"]
        )
        return cls(apps, tuple(HourfleetUser(u["username"], u["password"], u["role"]) for u in data["users"]))

    @property
    def app(self) -> HourfleetApplication:
        return self.client_applications[0]

    @property
    def operator(self) -> HourfleetUser:
        return next(u for u in self.users if u.role == "ops")

    @property
    def members(self) -> tuple[HourfleetUser, ...]:
        """The users who own and borrow cars (role `user`)."""
        return tuple(u for u in self.users if u.role == "user")


@dataclass(frozen=True)
class Credentials:
    """Every profile's credentials: typed for the shipped profiles, `raw` for all."""

    raw: dict[str, Any]

    @property
    def trimble(self) -> TrimbleCredentials:
        return TrimbleCredentials.of(self.raw["trimble"])

    @property
    def invers(self) -> InversCredentials:
        return InversCredentials.of(self.raw["invers"])

    @property
    def hourfleet(self) -> HourfleetCredentials:
        return HourfleetCredentials.of(self.raw["hourfleet"])

    def __getitem__(self, profile: str) -> Any:
        return self.raw[profile]
