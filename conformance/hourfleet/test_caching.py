"""Caching with ETag and If-None-Match, and the client caching headers (vendor section "Response Caching";
the spec's info description gives each API's max-age and which answers are per caller)."""

from __future__ import annotations

from .. import expect
from ..rules import rule

AREA = "Caching"

# The max-age the spec documents per API: car sharing (cars and their bookings), supporting services.
CAR_SHARING, SUPPORTING_SERVICES = 60, 600


def directives(response) -> dict[str, str]:
    """`Cache-Control` as {directive: value} (`private` maps to "")."""
    pairs = (part.strip().partition("=") for part in response.headers.get("cache-control", "").split(","))
    return {name.lower(): value for name, _, value in pairs if name}


def varies_by(response) -> set[str]:
    return {name.strip().lower() for name in response.headers.get("vary", "").split(",") if name.strip()}


def gets(owner, app, car, booking) -> list[tuple]:
    """(caller, path, max-age, per caller?) for a GET of every resource of the two APIs."""
    subscribed = app.subscribe("http://127.0.0.1:9/fleetbox-cache-rule", ["carbooking_approve"])
    expect.status(subscribed, 201)
    subscription = f"/webhooks/subscriptions/{expect.json_of(subscribed)['WebhookSubscription']['Id']}"
    account = expect.json_of(owner.http.get("/useraccounts"))["UserAccounts"][0]["Id"]
    bookings = f"/cars/{car['Id']}/bookings"
    return [
        (owner, "/cars", CAR_SHARING, False),
        (owner, f"/cars/{car['Id']}", CAR_SHARING, False),
        (owner, bookings, CAR_SHARING, True),
        (owner, f"{bookings}/{booking['Id']}", CAR_SHARING, True),
        (owner, "/useraccounts", SUPPORTING_SERVICES, True),
        (owner, f"/useraccounts/{account}", SUPPORTING_SERVICES, True),
        (app, "/webhooks/subscriptions", SUPPORTING_SERVICES, False),
        (app, subscription, SUPPORTING_SERVICES, False),
    ]


@rule(
    "HOURFLEET-CACHE-01",
    "every GET answers an ETag",
    AREA,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_etags(owner, car, booking):
    for path in (
        f"/cars/{car['Id']}",
        "/cars",
        f"/cars/{car['Id']}/bookings",
        f"/cars/{car['Id']}/bookings/{booking['Id']}",
        "/useraccounts",
    ):
        expect.true(bool(owner.http.get(path).headers.get("etag")), f"an ETag on GET {path}")


@rule(
    "HOURFLEET-CACHE-02",
    "If-None-Match with the current ETag answers 304 with no body",
    AREA,
    writes="its cars (created, deleted)",
)
def test_not_modified(owner, car):
    etag = owner.http.get(f"/cars/{car['Id']}").headers.get("etag", "")
    response = owner.http.get(f"/cars/{car['Id']}", headers={"If-None-Match": etag})
    expect.status(response, 304)
    expect.equal(response.content, b"", "the body of the 304")


@rule(
    "HOURFLEET-CACHE-03",
    "a write to the resource changes its ETag: the old one no longer gets a 304",
    AREA,
    writes="its cars (created, changed, deleted)",
)
def test_write_changes_etag(owner, car):
    etag = owner.http.get(f"/cars/{car['Id']}").headers.get("etag", "")
    owner.http.patch(f"/cars/{car['Id']}", json={"Color": "Green"})
    response = owner.http.get(f"/cars/{car['Id']}", headers={"If-None-Match": etag})
    expect.status(response, 200)
    expect.equal(expect.json_of(response)["Car"].get("Color"), "Green", "the fresh Color")


@rule(
    "HOURFLEET-CACHE-04",
    "a write to a related resource (a booking of the car) changes the car's bookings' ETag",
    AREA,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_related_write_changes_etag(owner, borrower, car):
    path = f"/cars/{car['Id']}/bookings"
    etag = owner.http.get(path).headers.get("etag", "")
    borrower.book(car)
    expect.status(owner.http.get(path, headers={"If-None-Match": etag}), 200)


@rule(
    "HOURFLEET-CACHE-05",
    "every GET's Cache-Control gives its API's max-age: 60 s for car sharing, 600 s for supporting services",
    AREA,
    writes="its cars (created, deleted); bookings of them (made, moved on); its webhooks (added, deleted)",
)
def test_max_age_per_api(owner, app, car, booking):
    for caller, path, max_age, _ in gets(owner, app, car, booking):
        response = caller.http.get(path)
        expect.status(response, 200)
        expect.equal(directives(response).get("max-age"), str(max_age), f"the max-age of GET {path}")


@rule(
    "HOURFLEET-CACHE-06",
    "an answer that depends on the caller (bookings, user accounts) is private and varies by Authorization; "
    "one the same for every caller (cars, webhook subscriptions) is neither",
    AREA,
    writes="its cars (created, deleted); bookings of them (made, moved on); its webhooks (added, deleted)",
)
def test_private_per_caller(owner, app, car, booking):
    for caller, path, _, per_caller in gets(owner, app, car, booking):
        response = caller.http.get(path)
        expect.status(response, 200)
        expect.equal("private" in directives(response), per_caller, f"`private` in GET {path}'s Cache-Control")
        expect.equal("authorization" in varies_by(response), per_caller, f"Authorization in GET {path}'s Vary")
        expect.true("public" not in directives(response), f"GET {path} is not `public` (it needs a token)")


@rule(
    "HOURFLEET-CACHE-07",
    "a 304 repeats the ETag, Cache-Control and Vary of the 200",
    AREA,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_not_modified_repeats_the_caching_headers(owner, car, booking):
    for path in (f"/cars/{car['Id']}", f"/cars/{car['Id']}/bookings/{booking['Id']}"):
        full = owner.http.get(path)
        response = owner.http.get(path, headers={"If-None-Match": full.headers.get("etag", "")})
        expect.status(response, 304)
        for header in ("etag", "cache-control", "vary"):
            expect.equal(response.headers.get(header), full.headers.get(header), f"the 304's {header} on GET {path}")


@rule(
    "HOURFLEET-CACHE-08",
    "a write is never hidden by the cache: within the max-age, the next GET answers the written data with a new ETag",
    AREA,
    writes="its cars (created, changed, deleted); bookings of them (made, moved on)",
)
def test_write_not_hidden(owner, borrower, car):
    path, search = f"/cars/{car['Id']}", {"Sort": "-LastModifiedDateUtc", "Filter": "Color", "Limit": 50}
    before = owner.http.get(path)
    owner.http.get("/cars", params=search)
    expect.status(owner.http.patch(path, json={"Color": "Green"}), 202)
    after = owner.http.get(path)
    expect.status(after, 200)
    expect.equal(expect.json_of(after)["Car"].get("Color"), "Green", "the Color right after the PATCH")
    expect.true(after.headers.get("etag") != before.headers.get("etag"), "a new ETag after the PATCH")
    listed = owner.http.get("/cars", params=search)
    colors = {row["Id"]: row.get("Color") for row in expect.json_of(listed)["Cars"]}
    expect.equal(colors.get(car["Id"]), "Green", "the car's Color in the search right after the PATCH")
    bookings = f"/cars/{car['Id']}/bookings"
    expect.equal(len(expect.json_of(owner.http.get(bookings))["CarBookings"]), 0, "no booking of a new car")
    borrower.book(car)
    expect.equal(len(expect.json_of(owner.http.get(bookings))["CarBookings"]), 1, "the new booking, listed at once")


@rule(
    "HOURFLEET-CACHE-09",
    "an error is never marked cacheable: no max-age on a 401 or a 404",
    AREA,
    writes="its cars (created, deleted)",
)
def test_errors_not_cacheable(owner, anonymous, car):
    for response in (
        owner.http.get("/cars/00000000-0000-0000-0000-000000000000"),
        anonymous.get(f"/cars/{car['Id']}"),
    ):
        expect.status(response, 401, 404)
        expect.true("max-age" not in directives(response), f"no max-age on a {response.status_code}")
