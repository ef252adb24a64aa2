"""ETags on every GET, and 304 for a matching If-None-Match."""

from __future__ import annotations

from .steps import soon


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
    tags = {
        owner.get(path).headers["etag"],
        owner.get(path, params={"embed": "none"}).headers["etag"],
        owner.get(path, params={"format": "xml"}).headers["etag"],
        borrower.get(path).headers["etag"],
    }
    assert len(tags) == 4
