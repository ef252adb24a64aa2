"""Quotas set through the control plane: 429 with Retry-After in the vendor's format, counted per caller,
lifted again; and each profile's default quota."""

from __future__ import annotations

import pytest

from mockserver.invers import DEFAULT_RATE_LIMIT as INVERS_DEFAULT

from ..invers.steps import assert_problem
from .vendors import HOURFLEET, INVERS, TRIMBLE, VENDORS, each


def rate_limits(sandbox) -> str:
    return f"/sandboxes/{sandbox.id}/rate-limits"


def trimble_refusal(response) -> None:
    assert set(response.json()) == {"message"}


def invers_refusal(response) -> None:
    assert_problem(response, 429, "/problems/too-many-requests")
    assert response.headers["x-rate-limit-remaining"] == "0" and response.headers["x-rate-limit-limit"] == "2"


def hourfleet_refusal(response) -> None:
    assert response.json()["ResponseStatus"]["ErrorCode"] == "TooManyRequests" and "Cars" not in response.json()


@pytest.mark.parametrize(
    "vendor,window,check",
    each(
        (TRIMBLE, 60, trimble_refusal),
        (INVERS, 60, invers_refusal),
        (HOURFLEET, 30, hourfleet_refusal),
    ),
)
def test_a_quota_set_through_the_control_plane_gives_429_with_retry_after(sandbox, vendor, window, check):
    first, second = vendor.caller(sandbox, 0), vendor.caller(sandbox, 1)
    quota = {"limit": 2, "windowSeconds": window}
    set_ = sandbox.control.put(rate_limits(sandbox), json={vendor.name: quota})
    assert set_.status_code == 200 and set_.json()[vendor.name] == quota
    answers = [first.get(vendor.read_path) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    for refused in (answers[2], first.get(vendor.read_path)):
        assert refused.status_code == 429
        assert 0 < int(refused.headers["retry-after"]) <= window
        check(refused)
    assert second.get(vendor.read_path).status_code == 200  # quotas are per caller
    sandbox.control.post(f"/sandboxes/{sandbox.id}/clock/advance", json={"seconds": window + 1})
    assert first.get(vendor.read_path).status_code == 200
    sandbox.control.put(rate_limits(sandbox), json={vendor.name: None})
    assert all(first.get(vendor.read_path).status_code == 200 for _ in range(5))


@pytest.mark.parametrize("vendor", each(*[(vendor,) for vendor in VENDORS]))
def test_quotas_count_per_caller(sandbox, vendor):
    first, second = vendor.caller(sandbox, 0), vendor.caller(sandbox, 1)
    sandbox.control.put(rate_limits(sandbox), json={vendor.name: {"limit": 1, "windowSeconds": 60}})
    assert first.get(vendor.read_path).status_code == 200
    assert second.get(vendor.read_path).status_code == 200
    assert first.get(vendor.read_path).status_code == 429


@pytest.mark.parametrize(
    "vendor,default",
    each(
        (TRIMBLE, None),
        (INVERS, {"limit": INVERS_DEFAULT.limit, "windowSeconds": INVERS_DEFAULT.window_seconds}),
        (HOURFLEET, {"limit": 10000, "windowSeconds": 60}),
    ),
)
def test_each_profile_starts_with_its_default_quota(sandbox, vendor, default):
    assert sandbox.control.get(rate_limits(sandbox)).json()[vendor.name] == default
