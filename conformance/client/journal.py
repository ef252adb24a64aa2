"""Verification on a sandbox's journal, in the spirit of WireMock's `verify`: filter what a client sent, and
assert on it with a failure message that lists what was received instead."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from fnmatch import fnmatchcase

from .models import JournalEntry


def local_path(entry: JournalEntry, base_paths: dict[str, str]) -> str:
    """The entry's path below its profile's base path (`/vehicles`), as a vendor's docs write it."""
    base = base_paths.get(entry.profile, "")
    if base and entry.path.startswith(base):
        return entry.path[len(base) :] or "/"
    return entry.path


def matches(
    entry: JournalEntry,
    base_paths: dict[str, str],
    profile: str | None = None,
    method: str | None = None,
    path: str | None = None,
    status: int | None = None,
) -> bool:
    """Whether `entry` is a request of `profile` with `method` to a path matching the shell-style pattern `path`
    (below the base path, or the whole path) that was answered `status`; None matches anything."""
    if profile is not None and entry.profile != profile:
        return False
    if method is not None and entry.method.upper() != method.upper():
        return False
    if status is not None and entry.status != status:
        return False
    if path is not None:
        return fnmatchcase(local_path(entry, base_paths), path) or fnmatchcase(entry.path, path)
    return True


def received_summary(entries: Iterable[JournalEntry], base_paths: dict[str, str], limit: int = 10) -> str:
    """`GET /vehicles x3, POST /accounts/authenticate`: what was received, in first-seen order, counted."""
    counts = Counter(f"{e.method} {local_path(e, base_paths)}" for e in entries)
    if not counts:
        return "nothing"
    shown = [f"{request} x{n}" if n > 1 else request for request, n in list(counts.items())[:limit]]
    if len(counts) > limit:
        shown.append(f"... ({len(counts) - limit} more)")
    return ", ".join(shown)


class Verification:
    """The requests of one sandbox, read from its journal each time they are asked for."""

    def __init__(self, read: Callable[[str | None], list[JournalEntry]], base_paths: Callable[[], dict[str, str]]):
        self._read = read
        self._base_paths = base_paths

    def requests(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        profile: str | None = None,
        status: int | None = None,
    ) -> list[JournalEntry]:
        """The journaled requests matching every filter given, oldest first."""
        base_paths = self._base_paths()
        return [e for e in self._read(profile) if matches(e, base_paths, profile, method, path, status)]

    def assert_requested(
        self,
        method: str,
        path: str,
        *,
        times: int | None = 1,
        profile: str | None = None,
        status: int | None = None,
        at_least: int | None = None,
    ) -> list[JournalEntry]:
        """Assert `times` requests (or `at_least` that many) matched; the failure lists what was received."""
        __tracebackhide__ = True  # pytest shows the test's line, not this one
        everything = self._read(profile)
        base_paths = self._base_paths()
        found = [e for e in everything if matches(e, base_paths, profile, method, path, status)]
        expected = at_least if at_least is not None else times
        if (at_least is not None and len(found) >= at_least) or (at_least is None and len(found) == times):
            return found
        wanted = f"{'at least ' if at_least is not None else ''}{expected} {method.upper()} {path}"
        if profile is not None:
            wanted += f" to {profile}"
        if status is not None:
            wanted += f" answered {status}"
        raise AssertionError(
            f"expected {wanted}, got {len(found)}; received: {received_summary(everything, base_paths)}"
        )

    def assert_not_requested(self, method: str, path: str, *, profile: str | None = None) -> None:
        __tracebackhide__ = True
        self.assert_requested(method, path, times=0, profile=profile)
