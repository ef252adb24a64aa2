"""The three vendor APIs as the every-profile tests drive them: who calls, and what a plain read is.

Each test module here holds its own table of vendor-specific expectations; this module only says how
to act as a profile's first and second caller (two principals, each with a quota of its own)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Vendor:
    name: str
    # The sandbox's n-th caller (0 or 1): trimble's direct and partner accounts, invers' fleets 0 and 1,
    # hourfleet's first two users.
    caller: Callable[[object, int], object]
    # A GET that any caller may make and that changes nothing.
    read_path: str
    # The GET the vendor's own token tests tried without, or with a bad, token.
    guarded_path: str

    def __str__(self) -> str:
        return self.name


TRIMBLE = Vendor("trimble", lambda sandbox, n: sandbox.trimble(("direct", "partner")[n]), "/vehicles", "/vehicles")
INVERS = Vendor("invers", lambda sandbox, n: sandbox.invers(n), "/sharing-partners", "/vehicles")
HOURFLEET = Vendor("hourfleet", lambda sandbox, n: sandbox.hourfleet("user", n), "/cars", "/cars")
VENDORS = (TRIMBLE, INVERS, HOURFLEET)


def each(*cases, suffix: Callable[[tuple], str] | None = None) -> list:
    """`pytest.param`s of (vendor, ...) tuples, each id the vendor's name and `suffix(case)` if given, or
    a count where a vendor has several cases (`pytest.param`s pass as they are)."""
    seen: dict[str, int] = {}
    params = []
    for case in cases:
        if not isinstance(case[0], Vendor):  # already a pytest.param
            params.append(case)
            continue
        name = case[0].name
        seen[name] = seen.get(name, 0) + 1
        label = f"{name}-{suffix(case)}" if suffix else name if seen[name] == 1 else f"{name}-{seen[name]}"
        params.append(pytest.param(*case, id=label))
    return params
