"""Finds and reads the contracts in openapi/, and the profiles they describe: the one place that knows both.

A vendor spec describes its profile in an `info.x-fleetbox` block (name, base path, the sandbox and suite
packages that implement and judge it, the control plane's schemas of its credentials and state). The
sandbox and the suite both read profiles through this module, so both sides always agree on them.
"""

from __future__ import annotations

import functools
import importlib
import os
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path

from . import spec_cache

ENV_VARIABLE = "FLEETBOX_OPENAPI_DIR"
# Specs of profiles served and judged beyond the shipped ones, separated by os.pathsep.
PROFILES_VARIABLE = "FLEETBOX_PROFILES"
EXTENSION = "x-fleetbox"


def openapi_dir() -> Path:
    """`$FLEETBOX_OPENAPI_DIR`, else the source tree's `openapi/`, else the installed `share/fleetbox/openapi`."""
    candidates = [
        os.environ.get(ENV_VARIABLE),
        Path(__file__).resolve().parent.parent / "openapi",
        Path(sys.prefix) / "share" / "fleetbox" / "openapi",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "sandbox.yaml").is_file():
            return Path(candidate)
    raise FileNotFoundError(
        f"fleetbox cannot find its OpenAPI specs; set {ENV_VARIABLE} to the folder holding sandbox.yaml"
    )


def spec_path(filename: str | Path) -> Path:
    """A spec in openapi/ by file name; an absolute path (a profile's own spec) stays as it is."""
    return openapi_dir() / filename


@functools.cache
def _cached(path: Path) -> tuple[bytes, dict]:
    return spec_cache.parsed(path)


def _parsed(path: Path) -> dict:
    return _cached(path)[1]


def load_spec(filename: str | Path) -> dict:
    """A spec as a fresh dict (callers may mutate it; the parse itself is cached)."""
    # Unpickling makes the copy several times faster than copy.deepcopy would.
    return pickle.loads(_cached(spec_path(filename))[0])


@dataclass(frozen=True)
class ProfileContract:
    """One API profile as its spec's `x-fleetbox` block describes it."""

    name: str
    base_path: str
    spec: Path
    # Dotted names of the packages whose `PROFILE` serves the API (sandbox) and judges it (suite).
    sandbox: str
    suite: str
    # The control plane's schemas (openapi/sandbox.yaml) of the profile's credentials and state;
    # a profile that brings none gets untyped objects there.
    credentials_schema: str | None = None
    state_schema: str | None = None


def contract_of(spec: str | Path) -> ProfileContract:
    """The profile `spec` (a file in openapi/, or a path) describes; a ValueError names what is missing."""
    path = spec_path(spec)
    block = _parsed(path).get("info", {}).get(EXTENSION)
    if not isinstance(block, dict):
        raise ValueError(f"{path} describes no fleetbox profile: it has no {EXTENSION} block")
    missing = [key for key in ("profile", "basePath", "sandbox", "suite") if not block.get(key)]
    if missing:
        raise ValueError(f"the {EXTENSION} block of {path} lacks {', '.join(missing)}")
    return ProfileContract(
        name=block["profile"],
        base_path="/" + block["basePath"].strip("/"),
        spec=path,
        sandbox=block["sandbox"],
        suite=block["suite"],
        credentials_schema=block.get("credentials"),
        state_schema=block.get("state"),
    )


def shipped_contracts() -> tuple[ProfileContract, ...]:
    """The profiles whose specs are in openapi/, in the order their blocks give (`order`, then name)."""
    blocks = {path: _parsed(path).get("info", {}).get(EXTENSION) for path in sorted(openapi_dir().glob("*.yaml"))}
    described = sorted(
        (path for path, block in blocks.items() if block), key=lambda path: (blocks[path].get("order", 1000), path.name)
    )
    return tuple(contract_of(path) for path in described)


def profile_contracts() -> tuple[ProfileContract, ...]:
    """Every profile this installation serves and judges: the shipped ones, then `$FLEETBOX_PROFILES`."""
    extra = [Path(entry) for entry in os.environ.get(PROFILES_VARIABLE, "").split(os.pathsep) if entry]
    contracts = [*shipped_contracts(), *(contract_of(path.resolve()) for path in extra)]
    names = [contract.name for contract in contracts]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise ValueError(f"more than one spec describes the profile(s) {', '.join(duplicated)}")
    return tuple(contracts)


def package_profile(contract: ProfileContract, package: str, kind: type):
    """The `PROFILE` of `package` (the contract's sandbox or suite package): a `kind` that must describe
    that very contract, so a package and the spec naming it cannot drift apart."""
    profile = getattr(importlib.import_module(package), "PROFILE", None)
    if not isinstance(profile, kind):
        raise TypeError(f"{package} (named by {contract.spec}) has no PROFILE = {kind.__name__}(...)")
    if profile.contract != contract:
        raise ValueError(f"{package}.PROFILE describes {profile.contract.spec}, but {contract.spec} names it")
    return profile
