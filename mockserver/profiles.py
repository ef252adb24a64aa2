"""The profiles this server serves: one per contract (conformance.contract), each from its sandbox package."""

from __future__ import annotations

import importlib

from conformance.contract import ProfileContract, profile_contracts

from .control import PROFILE as CONTROL
from .http.profile import Profile


def sandbox_profile(contract: ProfileContract) -> Profile:
    """The `PROFILE` of the package the contract names, which must serve that very contract."""
    profile = getattr(importlib.import_module(contract.sandbox), "PROFILE", None)
    if not isinstance(profile, Profile):
        raise TypeError(f"{contract.sandbox} (named by {contract.spec}) has no PROFILE = Profile(...)")
    if profile.contract != contract:
        raise ValueError(f"{contract.sandbox}.PROFILE serves {profile.spec}, but {contract.spec} names it")
    return profile


def vendor_profiles(contracts: tuple[ProfileContract, ...] | None = None) -> tuple[Profile, ...]:
    """The profile of every contract (by default every profile this installation has)."""
    return tuple(sandbox_profile(contract) for contract in (profile_contracts() if contracts is None else contracts))


VENDOR_PROFILES = vendor_profiles()

__all__ = ["CONTROL", "VENDOR_PROFILES", "sandbox_profile", "vendor_profiles"]
