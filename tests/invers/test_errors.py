"""Problem documents: the type, its documentation link, the status and the request's flow id.
(Unknown routes, methods and media types, in every profile: tests/every_profile/test_errors.py.)"""

from __future__ import annotations

from .steps import assert_problem


def test_an_unknown_vehicle_is_a_404_problem(owner):
    problem = assert_problem(owner.get("/vehicles/NO-SUCH-VEHICLE"), 404, "/problems/resource-not-found")
    assert "NO-SUCH-VEHICLE" in problem["detail"]
