"""What a profile's self-tests need: where the sandbox serves it, what a clean run must show, and the
bugs planted in the running sandbox with the rules that must name them."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from ..support import run_check

Plant = Callable[[pytest.MonkeyPatch], None]


@dataclass(frozen=True)
class PlantedBug:
    """A bug planted in the running sandbox, the rule that must name it, and the rules to run."""

    description: str
    rule: str
    only: tuple[str, ...]
    plant: Plant


@dataclass(frozen=True)
class OffContract:
    """A response planted off the spec, and the contract rule (Schemathesis') that must name it."""

    rule: str
    plant: Plant
    evidence: str = "Response violates schema"


@dataclass(frozen=True)
class SelfTest:
    """One profile's self-tests, as data for the parametrised tests of `test_selftest.py`."""

    profile: str
    base: str
    # Rules the clean run must list (a contract and the stateful rule show Schemathesis ran), and one
    # its HTML report must name.
    listed: tuple[str, ...]
    in_html: str
    planted: tuple[PlantedBug, ...]
    off_contract: OffContract

    def check(self, server, *options: str) -> subprocess.CompletedProcess:
        """`fleetbox check <profile>` against the test session's server."""
        return run_check(server.url + self.base, *options, profile=self.profile)
