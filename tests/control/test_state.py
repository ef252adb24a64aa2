"""The state document itself: a document without its clock or of another format is 400. (Each profile's
world in it: tests/every_profile/test_state.py.)"""

from __future__ import annotations

import copy


def test_a_malformed_state_is_400(sandbox):
    saved = sandbox.control.get(f"/sandboxes/{sandbox.id}/state").json()
    for mutate in (
        lambda s: s.pop("clock"),
        lambda s: s.update(format="fleetbox.state/99"),
    ):
        broken = copy.deepcopy(saved)
        mutate(broken)
        assert sandbox.control.put(f"/sandboxes/{sandbox.id}/state", json=broken).status_code == 400
