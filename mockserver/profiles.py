"""The profiles this server serves: one per contract (conformance.contract), each from its sandbox package."""

from __future__ import annotations

from conformance.contract import ProfileContract, package_profile, profile_contracts

from .control import PROFILE as CONTROL
from .http.profile import Profile


def sandbox_profile(contract: ProfileContract) -> Profile:
    """The `Profile` of the sandbox package the contract names."""
    return package_profile(contract, contract.sandbox, Profile)


def vendor_profiles(contracts: tuple[ProfileContract, ...] | None = None) -> tuple[Profile, ...]:
    """The profile of every contract (by default every profile this installation has)."""
    return tuple(sandbox_profile(contract) for contract in (profile_contracts() if contracts is None else contracts))


VENDOR_PROFILES = vendor_profiles()

__all__ = ["CONTROL", "VENDOR_PROFILES", "sandbox_profile", "vendor_profiles"]
