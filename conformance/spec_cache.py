"""Parsed specs kept on disk between runs, keyed by the file's bytes, so a start-up parses no YAML it parsed before.

The C YAML loader still builds every object in Python: the four shipped specs took about 0.13 CPU seconds
of each start-up. A pickle of the parse loads in a few milliseconds. The key is a hash of the spec's bytes
(and of the YAML library's version), so an edited spec is parsed afresh and a stale entry is never read.
Where the cache cannot be written (a read-only home), specs are simply parsed every time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

import yaml

CACHE_VARIABLE = "FLEETBOX_CACHE_DIR"
# Bumped when what is stored changes shape, so older entries are ignored rather than misread.
FORMAT = "1"


def cache_dir() -> Path:
    """`$FLEETBOX_CACHE_DIR`, else `$XDG_CACHE_HOME/fleetbox`, else `~/.cache/fleetbox`."""
    explicit = os.environ.get(CACHE_VARIABLE)
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "fleetbox"


def parse(raw: bytes) -> object:
    # The C loader parses a spec about five times faster than the pure-Python one.
    return yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def parsed(path: Path) -> tuple[bytes, object]:
    """The spec at `path` as YAML parses it, and its pickle (to make fresh copies from): from the cache when
    these very bytes were parsed before."""
    raw = path.read_bytes()
    key = hashlib.sha256(b"\0".join([FORMAT.encode(), yaml.__version__.encode(), raw])).hexdigest()
    entry = f"spec-{key}.pickle"
    data = read(entry)
    if data is not None:
        try:
            return data, pickle.loads(data)
        except Exception:  # noqa: BLE001 - an unreadable entry: parse the spec instead
            pass
    spec = parse(raw)
    data = pickle.dumps(spec, protocol=pickle.HIGHEST_PROTOCOL)
    write(entry, data)
    return data, spec


def read(name: str) -> bytes | None:
    """The cache entry `name`, or None when there is none (or it cannot be read)."""
    try:
        return (cache_dir() / name).read_bytes()
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    """Keep `data` as the cache entry `name`; where the cache cannot be written, nothing is kept."""
    entry = cache_dir() / name
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so a concurrent start-up never reads half an entry.
        with tempfile.NamedTemporaryFile(dir=entry.parent, prefix=".spec-", delete=False) as handle:
            handle.write(data)
        try:
            os.replace(handle.name, entry)
        finally:
            Path(handle.name).unlink(missing_ok=True)
    except OSError:
        pass  # no cache then: the next start-up does the work again
