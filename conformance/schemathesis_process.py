"""What the contract layer's Schemathesis process sets up before Schemathesis' command line runs.

`schemathesis_layer.RUN_SCHEMATHESIS` calls `prepare()` first thing: it keeps Schemathesis' invalid enum
values between runs. It changes no request Schemathesis sends.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def prepare() -> None:
    storage = os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY")
    if storage:
        remember_invalid_enum_candidates(Path(storage))


def remember_invalid_enum_candidates(storage: Path) -> None:
    """Schemathesis draws the values it tries as an invalid enum member once per process: a Hypothesis run
    whose filter rejects every value, a second of CPU, with the same seed and so the same values every
    time. They are kept beside Hypothesis' Unicode tables, per version of both, and read back.
    If Schemathesis no longer has that function, nothing changes."""
    import hypothesis
    import schemathesis

    try:
        from schemathesis.specs.openapi.coverage import _schema
    except ImportError:
        return
    draw = getattr(_schema, "_invalid_enum_candidates", None)
    if draw is None:
        return
    kept = storage / f"invalid-enum-candidates-{schemathesis.__version__}-{hypothesis.__version__}.json"
    try:
        candidates = tuple(json.loads(kept.read_text()))
    except (OSError, ValueError):
        candidates = draw()
        try:
            storage.mkdir(parents=True, exist_ok=True)
            scratch = kept.with_suffix(f".{os.getpid()}")
            # Strings, numbers, booleans and None: JSON gives each back as it was.
            scratch.write_text(json.dumps(list(candidates)))
            scratch.replace(kept)
        except (OSError, TypeError, ValueError):
            pass
    _schema._invalid_enum_candidates = lambda: candidates
