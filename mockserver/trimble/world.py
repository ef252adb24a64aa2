"""TrimbleWorld: the trimble profile inside one sandbox. Each public method is one atomic operation."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from mockserver.engine import replica
from mockserver.engine.errors import InvalidInput
from mockserver.engine.sandbox import atomic
from mockserver.engine.writes import write

from . import fleet as fleets
from . import groups, state, views
from .records import CUSTOMER, PARTNER, VEHICLES, Account, Caller, MemberKind

if TYPE_CHECKING:
    from mockserver.engine.sandbox import Sandbox

    from .fleet import Fleet

from .contract import NAME

TOKEN_LIFETIME = timedelta(minutes=60)
INVALID_KEY = "Invalid apiKey value or alias sent"
NO_PARTNER_ACCESS = "Token does not have partner level access"


def api_key_for(sandbox_id: str, account_id: int) -> str:
    """An account's API key: stable for a sandbox id, so the default sandbox's keys can be documented."""
    return hashlib.sha256(f"fleetbox/{sandbox_id}/trimble/{account_id}".encode()).hexdigest()[:32]


def load_world(document: dict, sandbox: Sandbox) -> TrimbleWorld:
    """Build a world from a state document, or raise `Unprocessable` naming the first inconsistency."""
    return TrimbleWorld(sandbox, *state.load(document))


class TrimbleWorld:
    """Accounts, their fleets and the id sequences; handlers call the methods below, nothing else."""

    def __init__(
        self, sandbox: Sandbox, accounts: dict[int, Account], fleets_: dict[int, Fleet], sequences: dict[str, int]
    ):
        self.sandbox = sandbox
        self.accounts = accounts
        self.fleets = fleets_
        self.sequences = sequences
        self._accounts_by_key = {
            api_key_for(sandbox.id, account.id): account for account in accounts.values() if account.type != CUSTOMER
        }

    # --- what the engine asks of every world -------------------------------------------------

    def credential_keys(self) -> list[str]:
        return list(self._accounts_by_key)

    @atomic
    def credentials(self) -> list[dict]:
        listed = []
        for key, account in self._accounts_by_key.items():
            entry = {"accountId": account.id, "accountName": account.name, "apiKey": key, "type": account.type}
            if account.type == PARTNER:
                entry["customerAccounts"] = [
                    {"accountId": c.id, "accountName": c.name} for c in self._customers_of(account)
                ]
            listed.append(entry)
        return listed

    @atomic
    def export(self) -> dict:
        return state.export(self.accounts, self.fleets, self.sequences)

    # --- authentication ----------------------------------------------------------------------

    @write
    def authenticate(self, api_key: str, account_id: int | None) -> dict:
        """Issue a token for the key's account, or for a customer the partner key may act for."""
        key_account = self._accounts_by_key.get(api_key)
        if key_account is None:
            raise InvalidInput(INVALID_KEY)
        acting = key_account if account_id is None else self.accounts.get(account_id)
        may_act = acting is not None and (
            acting.id == key_account.id or (key_account.type == PARTNER and acting.partner_id == key_account.id)
        )
        if not may_act:
            raise InvalidInput(INVALID_KEY)
        caller = Caller(acting.id, key_account.id, key_account.type == PARTNER)
        grant = self.sandbox.issue_token(NAME, caller, TOKEN_LIFETIME, mint=self._jwt_minter(acting))
        return {"token": grant.token, "expires": grant.expires_at.isoformat().replace("+00:00", "Z")}

    def _jwt_minter(self, account: Account) -> Callable[[datetime, datetime], str]:
        """The vendor's tokens are JWTs; ours are too, though the sandbox looks them up, not verifies them."""

        def mint(issued_at: datetime, expires_at: datetime) -> str:
            claims = {
                "iss": "fleetbox",
                "sub": str(account.id),
                "sbx": self.sandbox.id,
                "iat": int(issued_at.timestamp()),
                "exp": int(expires_at.timestamp()),
                "jti": f"{replica.rng().getrandbits(64):016x}",
            }
            import jwt  # here: it brings the cryptography package, which nothing else at start-up needs

            return jwt.encode(claims, _signing_key(self.sandbox), algorithm="HS256")

        return mint

    @atomic
    def customer_accounts(self, caller: Caller) -> dict:
        if not caller.partner_access:
            raise InvalidInput(NO_PARTNER_ACCESS)
        partner = self.accounts[caller.key_account_id]
        return {"data": [{"AccountName": c.name, "AccountId": c.id} for c in self._customers_of(partner)]}

    # --- vehicles and drivers ------------------------------------------------------------------

    @write
    def create_members(self, caller: Caller, kind: MemberKind, items: list[dict]) -> dict:
        return fleets.create_members(
            self.fleet(caller), kind, items, self.sandbox.clock.tick, self._next(kind.sequence)
        )

    @write
    def rename_members(self, caller: Caller, kind: MemberKind, items: list[dict]) -> dict:
        return fleets.rename_members(self.fleet(caller), kind, items, self.sandbox.clock.tick)

    @write
    def delete_member(self, caller: Caller, kind: MemberKind, external_id: str) -> dict:
        member = fleets.delete_member(self.fleet(caller), kind, external_id)
        return {"message": f"Successfully deleted {kind.noun} with Id: {member.id}"}

    @atomic
    def list_members(
        self, caller: Caller, kind: MemberKind, offset: int, limit: int, sort: str, direction: str
    ) -> tuple[list[dict], int]:
        fleet = self.fleet(caller)
        page, total = fleets.page_members(fleet, kind, sort, direction, offset, limit)
        return [views.member_listed(kind, m, fleet.groups_of(m)) for m in page], total

    # --- vehicle groups ----------------------------------------------------------------------------

    @write
    def create_groups(self, caller: Caller, items: list[dict]) -> dict:
        return groups.create_groups(self.fleet(caller), items, self.sandbox.clock.tick, self._next("vehicleGroup"))

    @write
    def rename_group(self, caller: Caller, group_id: int, name: str) -> dict:
        return groups.rename_group(self.fleet(caller), group_id, name, self.sandbox.clock.tick)

    @write
    def delete_group(self, caller: Caller, group_id: int) -> dict:
        return groups.delete_group(self.fleet(caller), group_id)

    @atomic
    def list_groups(self, caller: Caller, offset: int, limit: int, direction: str) -> tuple[list[dict], int]:
        ordered = sorted(self.fleet(caller).groups.values(), key=lambda g: (g.name.casefold(), g.id))
        ordered = ordered[::-1] if direction == "DESC" else ordered
        return [views.group_view(g) for g in ordered[offset : offset + limit]], len(ordered)

    @atomic
    def list_group_vehicles(
        self, caller: Caller, group_id: int, offset: int, limit: int, sort: str, direction: str
    ) -> tuple[list[dict], int]:
        fleet = self.fleet(caller)
        group = groups.get_group(fleet, group_id)
        members = [fleet.members[VEHICLES.noun][vehicle_id] for vehicle_id in group.vehicle_ids]
        ordered = fleets.sorted_members(members, VEHICLES, sort, direction)
        return [views.member_listed(VEHICLES, m, fleet.groups_of(m)) for m in ordered[offset : offset + limit]], len(
            ordered
        )

    @write
    def assign_vehicles(self, caller: Caller, group_id: int, vehicle_ids: list[str]) -> dict:
        return groups.assign_vehicles(self.fleet(caller), group_id, vehicle_ids, self.sandbox.clock.tick)

    @write
    def unassign_vehicle(self, caller: Caller, group_id: int, vehicle_id: str) -> dict:
        return groups.unassign_vehicle(self.fleet(caller), group_id, vehicle_id, self.sandbox.clock.tick)

    # --- internals ---------------------------------------------------------------------------------

    def fleet(self, caller: Caller) -> Fleet:
        return self.fleets[caller.account_id]

    def _customers_of(self, partner: Account) -> list[Account]:
        return [a for a in self.accounts.values() if a.type == CUSTOMER and a.partner_id == partner.id]

    def _next(self, sequence: str) -> Callable[[], int]:
        def next_id() -> int:
            self.sequences[sequence] += 1
            return self.sequences[sequence]

        return next_id


def _signing_key(sandbox: Sandbox) -> str:
    """Tokens are looked up in the token book, never verified by signature; the key only has to be the
    same in every process that replays the issuing operation."""
    return hashlib.sha256(f"fleetbox/{sandbox.id}/{sandbox.epoch}/jwt".encode()).hexdigest()
