"""Connexion's copies of each spec made by pickling, and its checked, `$ref`-resolved specs kept between runs.

Connexion deep-copies every spec it is given twice (the raw spec it keeps, and the one it resolves the
`$ref`s of), and once more for each Swagger UI request. A spec is plain YAML data, which a pickle round
trip copies exactly (shared objects stay shared) about three times faster than `copy.deepcopy`: some
0.025 CPU seconds of every start-up. Anything pickle cannot copy still goes to `copy.deepcopy`.

Then it checks the spec against the OpenAPI schema and resolves its `$ref`s: about a third of `create_app`
and the first request's set-up, the same work for the same spec on every start. What a `Specification` is
made of, for a spec Connexion accepted, is kept in the spec cache (conformance/spec_cache.py) under a hash of
that spec, so a restart loads it instead; a spec it refused is never kept, so it is refused again, in the same
words, and neither is one with a `$ref` to another file (which may change on its own). The key also covers
Connexion's own files, so an upgraded Connexion checks and resolves afresh.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import pickle
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import connexion.json_schema
import connexion.spec

from conformance import spec_cache

from .http import spec_check

_PROTOCOL = pickle.HIGHEST_PROTOCOL
# Bumped when what is kept changes shape.
_FORMAT = b"specification-1"
_made_by = connexion.spec.Specification.__init__


def copied(value: Any, memo: dict | None = None) -> Any:
    """A deep copy of `value`, as `copy.deepcopy` makes it."""
    if memo is None:
        try:
            return pickle.loads(pickle.dumps(value, protocol=_PROTOCOL))
        except Exception:  # noqa: BLE001 - not plain data: the general copy decides
            pass
    return copy.deepcopy(value, memo)


@functools.cache
def _code_version() -> bytes:
    """What the check and the resolution depend on besides the spec: the code that does them."""
    files = (connexion.spec.__file__, connexion.json_schema.__file__, spec_check.__file__)
    return repr([sys.version, *((Path(name).stat().st_mtime_ns, Path(name).stat().st_size) for name in files)]).encode()


def _entry_name(kind: type, raw_spec: dict, base_uri: str) -> str | None:
    try:
        data = pickle.dumps(raw_spec, protocol=_PROTOCOL)
    except Exception:  # noqa: BLE001 - not plain data: made as Connexion makes it, never kept
        return None
    key = hashlib.sha256(b"\0".join([_FORMAT, kind.__qualname__.encode(), base_uri.encode(), _code_version(), data]))
    return f"specification-{key.hexdigest()}.pickle"


def _only_local_refs(spec: Any) -> bool:
    """Whether every `$ref` in `spec` points inside it (`#/...`)."""
    stack = [spec]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if ref is not None and not (isinstance(ref, str) and ref.startswith("#")):
                return False
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def _made_or_kept(self: connexion.spec.Specification, raw_spec: dict, *, base_uri: str = "") -> None:
    """`Specification.__init__`, or what it made of this very spec before."""
    name = _entry_name(type(self), raw_spec, base_uri)
    kept = spec_cache.read(name) if name else None
    if kept is not None:
        try:
            self._raw_spec, self._spec = pickle.loads(kept)
            self._base_uri = base_uri
            # Connexion's set-up also fills in the spec it was given: the caller sees that, as before.
            self._set_defaults(raw_spec)
            return
        except Exception:  # noqa: BLE001 - an unreadable entry: make it again
            pass
    _made_by(self, raw_spec, base_uri=base_uri)
    # A `$ref` to another file makes the result depend on that file too: made afresh every time.
    if name and _only_local_refs(self._raw_spec):
        try:
            made = pickle.dumps((self._raw_spec, self._spec), protocol=_PROTOCOL)
        except Exception:  # noqa: BLE001 - not plain data after all: nothing kept
            return
        spec_cache.write(name, made)


def install() -> None:
    """Make Connexion's spec module and `$ref` resolver copy through `copied` (no one else's copies change), and
    its specifications come from the cache when made before."""
    connexion.spec.copy = SimpleNamespace(deepcopy=copied)
    connexion.json_schema.deepcopy = copied
    connexion.spec.Specification.__init__ = _made_or_kept
