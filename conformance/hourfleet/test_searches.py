"""Searches and embedding: Sort, Filter, Limit, Offset, Distinct, date ranges, Metadata, Embed (vendor
sections "Search APIs" to "Embedded Resources")."""

from __future__ import annotations

from .. import expect
from ..rules import rule
from .steps import utc_in

SEARCHES = "Searches"
EMBEDDING = "Embedding"


def search(party, path: str = "/cars", **params) -> dict:
    response = party.http.get(path, params=params)
    expect.status(response, 200)
    return expect.json_of(response)


def own_cars(owner, count: int) -> list[dict]:
    return [owner.new_car(Year=2010 + n, Seats=2 + n) for n in range(count)]


@rule(
    "HOURFLEET-SEARCH-01",
    "a search answers Metadata with Total, Limit, Offset, Sort {By, Direction}, Filter {Fields} and Distinct",
    SEARCHES,
    writes="its cars (created, deleted)",
)
def test_metadata(owner, car):
    metadata = search(owner, sort="-CreatedDateUtc").get("Metadata") or {}
    expect.true(
        {"Total", "Limit", "Offset", "Sort", "Filter", "Distinct"} <= set(metadata),
        "Total, Limit, Offset, Sort, Filter and Distinct",
    )
    expect.equal(metadata["Sort"], {"By": "CreatedDateUtc", "Direction": "Descending"}, "Metadata.Sort")
    expect.equal(metadata["Filter"], {"Fields": []}, "Metadata.Filter without a filter")


@rule(
    "HOURFLEET-SEARCH-02",
    "sort=-Field orders the results descending",
    SEARCHES,
    writes="its cars (created, deleted)",
)
def test_sort_descending(owner):
    own_cars(owner, 3)
    years = [c["Year"] for c in search(owner, sort="-Year")["Cars"]]
    expect.equal(years, sorted(years, reverse=True), "the Years with sort=-Year")
    expect.true(len(set(years)) > 1, "cars of different years to sort")


@rule(
    "HOURFLEET-SEARCH-03",
    "sort=+Field and sort=Field order the results ascending",
    SEARCHES,
    writes="its cars (created, deleted)",
)
def test_sort_ascending(owner):
    own_cars(owner, 3)
    for sort in ("+Year", "Year"):
        years = [c["Year"] for c in search(owner, sort=sort)["Cars"]]
        expect.equal(years, sorted(years), f"the Years with sort={sort}")


@rule(
    "HOURFLEET-SEARCH-04",
    "filter=Field returns only Id and the named fields",
    SEARCHES,
    writes="its cars (created, deleted)",
)
def test_filter(owner, car):
    results = search(owner, filter="Make,Year")["Cars"]
    expect.true(bool(results), "some cars")
    for result in results:
        expect.true("Id" in result, "an Id on every filtered result")
        expect.true(set(result) <= {"Id", "Make", "Year"}, f"only Id, Make and Year (got {sorted(result)})")


@rule(
    "HOURFLEET-SEARCH-05",
    "limit caps the results and offset skips as many",
    SEARCHES,
    writes="its cars (created, deleted)",
)
def test_limit_offset(owner):
    own_cars(owner, 4)
    everything = [c["Id"] for c in search(owner, sort="CreatedDateUtc")["Cars"]]
    page = search(owner, sort="CreatedDateUtc", limit=2, offset=1)
    expect.equal([c["Id"] for c in page["Cars"]], everything[1:3], "the Ids of limit=2&offset=1")
    expect.equal((page["Metadata"].get("Limit"), page["Metadata"].get("Offset")), (2, 1), "Metadata (Limit, Offset)")


@rule(
    "HOURFLEET-SEARCH-06",
    "Metadata.Total counts every result of the search, whatever the limit",
    SEARCHES,
    writes="its cars (created, deleted)",
)
def test_total(owner):
    own_cars(owner, 2)
    everything = search(owner)["Cars"]
    expect.equal(search(owner, limit=1)["Metadata"].get("Total"), len(everything), "Metadata.Total with limit=1")


@rule(
    "HOURFLEET-SEARCH-07",
    "distinct=Field keeps one result for each value of the field",
    SEARCHES,
    writes="its cars (created, deleted)",
)
def test_distinct(owner):
    own_cars(owner, 2)
    makes = {c["Make"] for c in search(owner)["Cars"]}
    body = search(owner, distinct="Make")
    listed = [c["Make"] for c in body["Cars"]]
    expect.equal(sorted(listed), sorted(makes), "one car per Make")
    expect.equal(body["Metadata"].get("Distinct"), "Make", "Metadata.Distinct")


@rule(
    "HOURFLEET-SEARCH-08",
    "a booking search has a default date range; FromUtc and ToUtc widen it",
    SEARCHES,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_date_range(owner, borrower, car):
    far = borrower.book(car, start_in=200 * 24 * 60, minutes=60)
    default = [b["Id"] for b in search(owner, f"/cars/{car['Id']}/bookings")["CarBookings"]]
    expect.true(far["Id"] not in default, "a booking 200 days ahead outside the default range")
    wide = search(owner, f"/cars/{car['Id']}/bookings", FromUtc=utc_in(0), ToUtc=utc_in(300 * 24 * 60))
    expect.true(far["Id"] in [b["Id"] for b in wide["CarBookings"]], "the booking within FromUtc..ToUtc")


@rule(
    "HOURFLEET-EMBED-01",
    "GET of a single car embeds its Rating and Verifications by default",
    EMBEDDING,
    writes="its cars (created, deleted)",
)
def test_single_embeds(owner, car):
    single = search(owner, f"/cars/{car['Id']}")["Car"]
    expect.true("Rating" in single and "Verifications" in single, "Rating and Verifications on GET /cars/{Id}")


@rule(
    "HOURFLEET-EMBED-02",
    "embed=none leaves them out of a single car",
    EMBEDDING,
    writes="its cars (created, deleted)",
)
def test_embed_none(owner, car):
    single = search(owner, f"/cars/{car['Id']}", embed="none")["Car"]
    expect.true("Rating" not in single and "Verifications" not in single, "no Rating or Verifications with embed=none")


@rule("HOURFLEET-EMBED-03", "a search embeds nothing by default", EMBEDDING, writes="its cars (created, deleted)")
def test_search_embeds_nothing(owner, car):
    cars = search(owner)["Cars"]
    expect.true(
        all("Rating" not in c and "Verifications" not in c for c in cars), "no Rating or Verifications in GET /cars"
    )


@rule(
    "HOURFLEET-EMBED-04",
    "embed=all and embed=* embed every descendant in a search",
    EMBEDDING,
    writes="its cars (created, deleted)",
)
def test_embed_all(owner, car):
    for embed in ("all", "*"):
        cars = search(owner, embed=embed)["Cars"]
        expect.true(
            all("Rating" in c and "Verifications" in c for c in cars), f"Rating and Verifications with embed={embed}"
        )


@rule("HOURFLEET-EMBED-05", "embed=Car.Rating embeds only the Rating", EMBEDDING, writes="its cars (created, deleted)")
def test_embed_list(owner, car):
    cars = search(owner, embed="Car.Rating")["Cars"]
    expect.true(
        all("Rating" in c and "Verifications" not in c for c in cars),
        "Rating but no Verifications with embed=Car.Rating",
    )


@rule(
    "HOURFLEET-EMBED-06",
    "GET of a single booking embeds its Car and its Borrower by default; embed=none leaves them out",
    EMBEDDING,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_booking_embeds(owner, car, booking):
    path = f"/cars/{car['Id']}/bookings/{booking['Id']}"
    single = search(owner, path)["CarBooking"]
    expect.equal((single.get("Car") or {}).get("Id"), car["Id"], "the embedded Car's Id")
    expect.equal((single.get("Borrower") or {}).get("Id"), booking["BorrowerId"], "the embedded Borrower's Id")
    bare = search(owner, path, embed="none")["CarBooking"]
    expect.true("Car" not in bare and "Borrower" not in bare, "no Car or Borrower with embed=none")


@rule(
    "HOURFLEET-EMBED-07",
    "a booking search embeds nothing by default; embed=all, embed=* and embed=CarBooking.Car embed what they name",
    EMBEDDING,
    writes="its cars (created, deleted); bookings of them (made, moved on)",
)
def test_booking_search_embeds(owner, car, booking):
    path = f"/cars/{car['Id']}/bookings"
    found = search(owner, path)["CarBookings"]
    expect.true(bool(found), "the booking in the search")
    expect.true(all("Car" not in b and "Borrower" not in b for b in found), "no Car or Borrower by default")
    for embed in ("all", "*"):
        found = search(owner, path, embed=embed)["CarBookings"]
        expect.true(all("Car" in b and "Borrower" in b for b in found), f"Car and Borrower with embed={embed}")
    found = search(owner, path, embed="CarBooking.Car")["CarBookings"]
    expect.true(all("Car" in b and "Borrower" not in b for b in found), "Car but no Borrower with embed=CarBooking.Car")


@rule(
    "HOURFLEET-EMBED-08",
    "GET of a single user account embeds the Cars it owns by default; embed=none leaves them out",
    EMBEDDING,
    writes="its cars (created, deleted)",
)
def test_account_embeds(owner, car):
    path = f"/useraccounts/{car['OwnerId']}"
    cars = search(owner, path)["UserAccount"].get("Cars")
    expect.true(isinstance(cars, list), "Cars on GET /useraccounts/{Id}")
    expect.true(car["Id"] in [c.get("Id") for c in cars], "the owner's new car among their Cars")
    expect.true("Cars" not in search(owner, path, embed="none")["UserAccount"], "no Cars with embed=none")


@rule(
    "HOURFLEET-EMBED-09",
    "a user account search embeds nothing by default; embed=all, embed=* and embed=UserAccount.Cars embed the Cars",
    EMBEDDING,
    writes="its cars (created, deleted)",
)
def test_account_search_embeds(owner, car):
    accounts = search(owner, "/useraccounts")["UserAccounts"]
    expect.true(bool(accounts) and all("Cars" not in a for a in accounts), "accounts without Cars by default")
    for embed in ("all", "*", "UserAccount.Cars"):
        accounts = search(owner, "/useraccounts", embed=embed)["UserAccounts"]
        owned = [c.get("Id") for a in accounts for c in a.get("Cars") or []]
        expect.true(car["Id"] in owned, f"the owner's new car among the Cars with embed={embed}")


@rule(
    "HOURFLEET-EMBED-10",
    "a change to an embedded resource (the car) changes the ETag of the booking and the account embedding it",
    EMBEDDING,
    writes="its cars (created, changed, deleted); bookings of them (made, moved on)",
)
def test_embedded_change_changes_etag(owner, car, booking):
    paths = (f"/cars/{car['Id']}/bookings/{booking['Id']}", f"/useraccounts/{car['OwnerId']}")
    etags = [owner.http.get(path).headers.get("etag", "") for path in paths]
    owner.http.patch(f"/cars/{car['Id']}", json={"Color": "Green"})
    for path, etag in zip(paths, etags, strict=True):
        response = owner.http.get(path, headers={"If-None-Match": etag})
        expect.status(response, 200)
