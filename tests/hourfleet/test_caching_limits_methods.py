"""ETags and 304s, per-caller rate limits with 429 and Retry-After, and 405 for undeclared methods."""

from __future__ import annotations

import httpx
import pytest

from .conftest import soon


def test_every_get_has_an_etag_and_if_none_match_answers_304_without_body(owner, car):
    first = owner.get(f"/cars/{car['Id']}")
    etag = first.headers["etag"]
    again = owner.get(f"/cars/{car['Id']}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert owner.get(f"/cars/{car['Id']}", headers={"If-None-Match": '"other"'}).status_code == 200
    for path in ("/cars", f"/cars/{car['Id']}/bookings", "/useraccounts"):
        assert owner.get(path).headers["etag"].startswith('"'), path


def test_a_write_to_the_resource_changes_its_etag(owner, car):
    etag = owner.get(f"/cars/{car['Id']}").headers["etag"]
    list_etag = owner.get("/cars").headers["etag"]
    owner.patch(f"/cars/{car['Id']}", json={"Color": "Black"})
    assert owner.get(f"/cars/{car['Id']}", headers={"If-None-Match": etag}).status_code == 200
    assert owner.get("/cars", headers={"If-None-Match": list_etag}).status_code == 200


def test_a_write_to_a_related_resource_changes_the_etag(owner, borrower, car):
    etag = owner.get(f"/cars/{car['Id']}").headers["etag"]
    bookings_etag = owner.get(f"/cars/{car['Id']}/bookings").headers["etag"]
    borrower.post(f"/cars/{car['Id']}/bookings", json={"StartDateUtc": soon(60), "EndDateUtc": soon(120)})
    assert owner.get(f"/cars/{car['Id']}", headers={"If-None-Match": etag}).status_code == 200
    assert owner.get(f"/cars/{car['Id']}/bookings", headers={"If-None-Match": bookings_etag}).status_code == 200


def test_etags_differ_by_query_format_and_caller(owner, borrower, car):
    path = f"/cars/{car['Id']}"
    tags = {owner.get(path).headers["etag"], owner.get(path, params={"embed": "none"}).headers["etag"],
            owner.get(path, params={"format": "xml"}).headers["etag"], borrower.get(path).headers["etag"]}
    assert len(tags) == 4


def test_a_quota_gives_429_with_retry_after_and_a_response_status(sandbox, owner, borrower):
    sandbox.control.put(f"/sandboxes/{sandbox.id}/rate-limits", json={"hourfleet": {"limit": 2, "windowSeconds": 30}})
    assert [owner.get("/cars").status_code for _ in range(3)] == [200, 200, 429]
    refused = owner.get("/cars")
    assert 0 < int(refused.headers["retry-after"]) <= 30
    assert refused.json()["ResponseStatus"]["ErrorCode"] == "TooManyRequests" and "Cars" not in refused.json()
    assert borrower.get("/cars").status_code == 200  # quotas are per caller
    sandbox.control.post(f"/sandboxes/{sandbox.id}/clock/advance", json={"seconds": 31})
    assert owner.get("/cars").status_code == 200


def test_the_default_quota_is_generous(sandbox):
    assert sandbox.control.get(f"/sandboxes/{sandbox.id}/rate-limits").json()["hourfleet"] == {"limit": 10000, "windowSeconds": 60}


@pytest.mark.parametrize("method", ["HEAD", "OPTIONS", "TRACE", "POST"])
def test_methods_other_than_the_declared_ones_are_405_with_allow(owner, car, method):
    response = httpx.request(method, f"{owner.base_url}/cars/{car['Id']}", headers=owner.http.headers)
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET, PATCH"
    if method != "HEAD":
        assert response.json()["ResponseStatus"]["ErrorCode"] == "MethodNotAllowed"


def test_an_unknown_route_is_404_in_response_status(owner):
    response = owner.get("/trucks")
    assert response.status_code == 404
    assert response.json()["ResponseStatus"]["Message"] == "Handler for Request not found: GET /hourfleet/api/trucks"
