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


# --- client caching headers (seed: "client caching headers", a TTL that varies by API) -----------

SHARED_60 = ("max-age=60", "Accept")
PRIVATE_60 = ("max-age=60, private", "Accept, Authorization")
SHARED_600 = ("max-age=600", "Accept")
PRIVATE_600 = ("max-age=600, private", "Accept, Authorization")


def _gets(owner, app, car, booking) -> list[tuple[object, str, tuple[str, str]]]:
    """(caller, path, (Cache-Control, Vary)) for every GET of the two APIs."""
    bookings = f"/cars/{car['Id']}/bookings"
    subscription = app.post(
        "/webhooks/subscriptions",
        json={"Name": "n", "Url": "http://127.0.0.1:9/hook", "Events": ["carbooking_approve"]},
    )
    assert subscription.status_code == 201, subscription.text
    return [
        (owner, "/cars", SHARED_60),
        (owner, f"/cars/{car['Id']}", SHARED_60),
        (owner, bookings, PRIVATE_60),
        (owner, f"{bookings}/{booking['Id']}", PRIVATE_60),
        (owner, "/useraccounts", PRIVATE_600),
        (owner, f"/useraccounts/{owner.get('/useraccounts').json()['UserAccounts'][0]['Id']}", PRIVATE_600),
        (app, "/webhooks/subscriptions", SHARED_600),
        (app, f"/webhooks/subscriptions/{subscription.json()['WebhookSubscription']['Id']}", SHARED_600),
    ]


def test_every_get_has_its_apis_max_age_and_is_private_when_it_depends_on_the_caller(owner, app, car, booking):
    for caller, path, (control, vary) in _gets(owner, app, car, booking):
        for params in ({}, {"format": "xml"}):
            response = caller.get(path, params=params)
            assert response.status_code == 200, (path, response.text)
            assert (response.headers["cache-control"], response.headers["vary"]) == (control, vary), (path, params)


def test_a_304_repeats_the_caching_headers_of_the_200(owner, app, car, booking):
    for caller, path, (control, vary) in _gets(owner, app, car, booking):
        etag = caller.get(path).headers["etag"]
        again = caller.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304, path
        assert (again.headers["etag"], again.headers["cache-control"], again.headers["vary"]) == (etag, control, vary)


def test_errors_carry_no_caching_headers(sandbox, owner, car):
    anonymous = sandbox.anonymous_hourfleet()
    for response in (
        owner.get("/cars/00000000-0000-0000-0000-000000000000"),
        anonymous.get(f"/cars/{car['Id']}"),
        owner.get("/cars", params={"format": "yaml"}),
    ):
        assert response.status_code >= 400 and "cache-control" not in response.headers, response.status_code
    anonymous.close()


def test_a_write_makes_the_next_get_fresh_whatever_the_max_age(owner, borrower, car, booking):
    path = f"/cars/{car['Id']}"
    first = owner.get(path)
    assert first.headers["cache-control"] == "max-age=60"
    owner.patch(path, json={"Color": "Black"})
    fresh = owner.get(path)
    assert fresh.json()["Car"]["Color"] == "Black" and fresh.headers["etag"] != first.headers["etag"]
    revalidated = owner.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert revalidated.status_code == 200 and revalidated.headers["etag"] == fresh.headers["etag"]
    # A private answer too: the borrower's booking after the owner approves it.
    booking_path = f"/cars/{car['Id']}/bookings/{booking['Id']}"
    before = borrower.get(booking_path)
    assert owner.put(f"{booking_path}/approve").status_code == 202
    after = borrower.get(booking_path, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.json()["CarBooking"]["State"] == "Approved"
    assert after.headers["etag"] != before.headers["etag"] and after.headers["cache-control"] == "max-age=60, private"
