"""Finds and reads the contracts in openapi/: the one place that knows where they live.

The sandbox reads its specs through this module too, so both sides always judge by the same files.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import yaml

ENV_VARIABLE = "FLEETBOX_OPENAPI_DIR"


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


def spec_path(filename: str) -> Path:
    return openapi_dir() / filename


@functools.lru_cache(maxsize=None)
def _parsed(path: Path) -> dict:
    # The C loader parses a spec about five times faster than the pure-Python one.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)


def load_spec(filename: str) -> dict:
    """A spec as a fresh dict (callers may mutate it; the parse itself is cached)."""
    import copy

    return copy.deepcopy(_parsed(spec_path(filename)))
