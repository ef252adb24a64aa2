"""Generated worlds kept on disk between runs (the pytest plugin's server), so a seed and size made before is read back.

A world is a pure function of (seed, size) (ARCHITECTURE.md), yet generating one calls Faker throughout: the
first one in a process also imports Faker (about 0.2 CPU seconds), and each sandbox of the default size costs
about 0.1 more. A consumer's test suite creates a sandbox per test, nearly always of the same few seeds and
sizes, so the plugin's server keeps each state document it generates in the spec cache's folder
(`conformance/spec_cache.py`) and loads the pickle next time (a millisecond). The key holds everything the
document follows from: the generator's name, seed and size, the bytes of every module of the generator's
package, Faker's and Python's versions; change any and the world is generated afresh.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import importlib.util
import pickle
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

from conformance.spec_cache import read, write

from .engine.sandbox import WorldFactory
from .http.profile import Profile

# Bumped when what is stored changes shape, so older entries are ignored rather than misread.
FORMAT = "1"


def with_cached_worlds(profiles: tuple[Profile, ...]) -> tuple[Profile, ...]:
    """`profiles` whose worlds are generated once per seed and size, then read from the cache."""
    return tuple(
        dataclasses.replace(profile, worlds=cached(profile.worlds)) if profile.worlds is not None else profile
        for profile in profiles
    )


def cached(factory: WorldFactory) -> WorldFactory:
    """`factory`, whose `generate` answers from the cache when it can tell what the document depends on."""
    generate = factory.generate
    sources = _sources_of(generate)
    if sources is None:
        return factory

    def generate_once(seed: int, size: int) -> dict:
        parts = [FORMAT, generate.__module__, generate.__qualname__, str(seed), str(size), sources, _versions()]
        entry = f"world-{hashlib.sha256(chr(0).join(parts).encode()).hexdigest()}.pickle"
        data = read(entry)
        if data is not None:
            try:
                return pickle.loads(data)
            except Exception:  # noqa: BLE001 - an unreadable entry: generate the world instead
                pass
        document = generate(seed, size)
        write(entry, pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL))
        return document

    # Worlds come from the cached documents: a factory's direct `build` (big worlds' fast path) would bypass it.
    return dataclasses.replace(factory, generate=generate_once, build=None)


def _sources_of(generate: Callable) -> str | None:
    """A hash of every module of the package `generate` comes from; None when there are no files to read."""
    name = getattr(generate, "__module__", None)
    if not name or name == "__main__" or not hasattr(generate, "__qualname__") or "<" in generate.__qualname__:
        return None
    return _package_hash(name.partition(".")[0])


@cache
def _package_hash(package: str) -> str | None:
    spec = importlib.util.find_spec(package)
    if spec is None:
        return None
    if spec.submodule_search_locations:
        files = [(p.relative_to(d), p) for d in map(Path, spec.submodule_search_locations) for p in d.rglob("*.py")]
    elif spec.origin and spec.origin.endswith(".py"):
        files = [(Path(spec.origin).name, Path(spec.origin))]
    else:
        return None
    digest = hashlib.sha256()
    for relative, path in sorted(files):
        digest.update(f"{relative}\0".encode() + path.read_bytes() + b"\0")
    return digest.hexdigest()


@cache
def _versions() -> str:
    try:
        faker = importlib.metadata.version("faker")
    except importlib.metadata.PackageNotFoundError:
        faker = "-"
    return f"python {sys.version_info[:2]} faker {faker}"
