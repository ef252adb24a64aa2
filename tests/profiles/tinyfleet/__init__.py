"""tinyfleet: the smallest complete profile, kept in its own folder: spec, sandbox package and suite package.

It exists to prove the shape of a profile. It is registered the way every profile is (its spec's
`x-fleetbox` block, found through `$FLEETBOX_PROFILES`), then served, checked and self-tested by
`tests/profiles/test_tinyfleet.py`; nothing outside this folder names it.
"""

from pathlib import Path

SPEC = Path(__file__).with_name("tinyfleet.yaml")
