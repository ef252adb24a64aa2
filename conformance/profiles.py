"""The profiles the suite can judge, by name: one per contract (conformance.contract), from its suite package."""

from __future__ import annotations

from .contract import ProfileContract, package_profile, profile_contracts
from .target import ConformanceProfile


def suite_profile(contract: ProfileContract) -> ConformanceProfile:
    """The `ConformanceProfile` of the suite package the contract names."""
    return package_profile(contract, contract.suite, ConformanceProfile)


PROFILES = {contract.name: suite_profile(contract) for contract in profile_contracts()}
