"""Caching with ETag and If-None-Match (vendor section "Response Caching")."""

from __future__ import annotations

from .. import expect
from ..rules import rule

AREA = "Caching"


@rule("HOURFLEET-CACHE-01", "every GET answers an ETag", AREA)
def test_etags(owner, car, booking):
    for path in (
        f"/cars/{car['Id']}",
        "/cars",
        f"/cars/{car['Id']}/bookings",
        f"/cars/{car['Id']}/bookings/{booking['Id']}",
        "/useraccounts",
    ):
        expect.true(bool(owner.http.get(path).headers.get("etag")), f"an ETag on GET {path}")


@rule("HOURFLEET-CACHE-02", "If-None-Match with the current ETag answers 304 with no body", AREA)
def test_not_modified(owner, car):
    etag = owner.http.get(f"/cars/{car['Id']}").headers.get("etag", "")
    response = owner.http.get(f"/cars/{car['Id']}", headers={"If-None-Match": etag})
    expect.status(response, 304)
    expect.equal(response.content, b"", "the body of the 304")


@rule("HOURFLEET-CACHE-03", "a write to the resource changes its ETag: the old one no longer gets a 304", AREA)
def test_write_changes_etag(owner, car):
    etag = owner.http.get(f"/cars/{car['Id']}").headers.get("etag", "")
    owner.http.patch(f"/cars/{car['Id']}", json={"Color": "Green"})
    response = owner.http.get(f"/cars/{car['Id']}", headers={"If-None-Match": etag})
    expect.status(response, 200)
    expect.equal(expect.json_of(response)["Car"].get("Color"), "Green", "the fresh Color")


@rule(
    "HOURFLEET-CACHE-04", "a write to a related resource (a booking of the car) changes the car's bookings' ETag", AREA
)
def test_related_write_changes_etag(owner, borrower, car):
    path = f"/cars/{car['Id']}/bookings"
    etag = owner.http.get(path).headers.get("etag", "")
    borrower.book(car)
    expect.status(owner.http.get(path, headers={"If-None-Match": etag}), 200)
