"""The profiles the suite can judge, by name: one per contract (conformance.contract), from its suite package."""

from __future__ import annotations

import importlib

from .contract import ProfileContract, profile_contracts
from .target import ConformanceProfile


def suite_profile(contract: ProfileContract) -> ConformanceProfile:
    """The `PROFILE` of the suite package the contract names, which must judge that very contract."""
    profile = getattr(importlib.import_module(contract.suite), "PROFILE", None)
    if not isinstance(profile, ConformanceProfile):
        raise TypeError(f"{contract.suite} (named by {contract.spec}) has no PROFILE = ConformanceProfile(...)")
    if profile.contract != contract:
        raise ValueError(f"{contract.suite}.PROFILE judges {profile.spec}, but {contract.spec} names it")
    return profile


PROFILES = {contract.name: suite_profile(contract) for contract in profile_contracts()}
