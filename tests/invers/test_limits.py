"""What the invers quota counts. (429 with Retry-After, in every profile: tests/every_profile/test_limits.py.)"""

from __future__ import annotations

import pytest

from .steps import OWNER, PARTNER


@pytest.mark.parametrize("fleet", [OWNER, PARTNER])
def test_the_token_endpoint_is_not_counted(sandbox, fleet):
    sandbox.control.put(f"/sandboxes/{sandbox.id}/rate-limits", json={"invers": {"limit": 1, "windowSeconds": 60}})
    tokens = [sandbox.invers_token(fleet) for _ in range(3)]
    assert len(set(tokens)) == 3
