"""Vehicle lists: offset and limit, the paging links, sorting (the vendor's "Get a List of Vehicles")."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from .. import expect
from ..rules import rule

AREA = "Vehicle lists"


def page(fleet, **params) -> dict:
    response = fleet.http.get("/vehicles", params=params)
    expect.status(response, 200)
    return expect.json_of(response)


def query(link: dict) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(link["href"]).query).items()}


def link(body: dict, name: str) -> dict:
    expect.true(isinstance(body.get(name), dict) and "href" in body[name], f"a `{name}` link with an href")
    return body[name]


def at_least(fleet, count: int) -> int:
    """Make sure the fleet holds at least `count` vehicles; return its size."""
    size = page(fleet, limit=1)["size"]
    if size < count:
        fleet.add_vehicles(count - size)
    return max(size, count)


def ordered_subset(listed: list[dict], ours: list[str], key: str) -> list[str]:
    """The order in which our own vehicles appear in a listing."""
    wanted = set(ours)
    return [item[key] for item in listed if item.get(key) in wanted]


@rule("TRIMBLE-PAGE-01", "GET /vehicles answers href, offset, limit, size, a first link and the vehicles in data", AREA)
def test_the_collection_envelope(fleet):
    body = page(fleet)
    for key in ("href", "offset", "limit", "size", "first", "data"):
        expect.true(key in body, f"`{key}` in the answer")
    expect.equal(body["offset"], 0, "offset of the first page")
    expect.true(
        all({"id", "name", "vehicleId", "modifiedOn"} <= set(v) for v in body["data"]),
        "id, name, vehicleId and modifiedOn on each vehicle",
    )


@rule("TRIMBLE-PAGE-02", "limit caps the page and offset skips as many vehicles", AREA)
def test_offset_and_limit(fleet):
    at_least(fleet, 4)
    everything = [v["id"] for v in page(fleet, limit=4)["data"]]
    window = page(fleet, offset=1, limit=2)
    expect.equal((window["offset"], window["limit"]), (1, 2), "(offset, limit) echoed")
    expect.equal([v["id"] for v in window["data"]], everything[1:3], "the ids of the window offset=1, limit=2")


@rule("TRIMBLE-PAGE-03", "the next link leads to the following page (offset + limit, same limit)", AREA)
def test_the_next_link(fleet):
    at_least(fleet, 5)
    first = page(fleet, limit=2)
    expect.equal(query(link(first, "next")).get("offset"), "2", "the next link's offset")
    following = fleet.http.get(first["next"]["href"])
    expect.status(following, 200)
    expect.equal(
        [v["id"] for v in expect.json_of(following)["data"]],
        [v["id"] for v in page(fleet, offset=2, limit=2)["data"]],
        "the ids on the next page",
    )


@rule("TRIMBLE-PAGE-04", "the previous link leads to the page before", AREA)
def test_the_previous_link(fleet):
    at_least(fleet, 5)
    second = page(fleet, offset=2, limit=2)
    expect.equal(query(link(second, "previous")), {"offset": "0", "limit": "2"}, "the previous link's offset and limit")
    expect.true("previous" not in page(fleet, limit=2), "no previous link on the first page")


@rule("TRIMBLE-PAGE-05", "the last link leads to the page holding the last vehicle", AREA)
def test_the_last_link(fleet):
    size = at_least(fleet, 5)
    first = page(fleet, limit=2)
    expect.equal(query(link(first, "last")).get("offset"), str((first["size"] - 1) // 2 * 2), "the last link's offset")
    last = expect.json_of(fleet.http.get(first["last"]["href"]))
    expect.true(last["data"] and "next" not in last, "the last page holds vehicles and has no next link")
    expect.true(size > 0, "vehicles in the fleet")


@rule("TRIMBLE-PAGE-06", "following next links from the first page visits every vehicle exactly once", AREA)
def test_walking_every_page(fleet):
    at_least(fleet, 7)
    walked = fleet.listed(limit=3)
    ids = [v["id"] for v in walked]
    expect.equal(len(ids), len(set(ids)), "the number of distinct vehicles walked (no vehicle twice)")
    expect.equal(len(ids), page(fleet, limit=1)["size"], "the number of vehicles walked (= size)")


@rule(
    "TRIMBLE-PAGE-07",
    "size is the total number of vehicles (as the vendor's sample shows), whatever the limit",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_size_counts_vehicles(fleet):
    before = page(fleet, limit=1)["size"]
    fleet.add_vehicles(2)
    expect.equal(page(fleet, limit=1)["size"], before + 2, "size after adding two vehicles")
    expect.equal(page(fleet, limit=500)["size"], before + 2, "size with another limit")


def sorted_rule_check(fleet, expression: str, field: str, answer_key: str, direction: str = "ASC") -> None:
    run = fleet.new_id("sort")
    # Lower-case, equally long values, so case-sensitive and case-insensitive orders agree; ids, names and
    # the order of adding each sort differently, so a list sorted by the wrong one is told apart.
    ours = [
        {"vehicleId": f"{run}{letter}", "Name": f"{run} {other}"} for letter, other in zip("cab", "bca", strict=True)
    ]
    expect.status(fleet.post("/vehicles", ours), 200)
    listed = fleet.listed(sortExpression=expression, sortDirection=direction)
    seen = ordered_subset(listed, [v[field] for v in ours], answer_key)
    expected = sorted((v[field] for v in ours), reverse=direction == "DESC")
    expect.equal(seen, expected, f"the order of the rule's three vehicles in a list sorted by {expression} {direction}")


@rule(
    "TRIMBLE-PAGE-08",
    "sortExpression=vehicleId orders the list by vehicle id",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_sort_by_id(fleet):
    sorted_rule_check(fleet, "vehicleId", "vehicleId", "vehicleId")


@rule(
    "TRIMBLE-PAGE-09",
    "sortExpression=vehicleName orders the list by name",
    AREA,
    writes="its vehicles (added, deleted)",
)
def test_sort_by_name(fleet):
    sorted_rule_check(fleet, "vehicleName", "Name", "name")


@rule("TRIMBLE-PAGE-10", "sortDirection=DESC reverses the order", AREA, writes="its vehicles (added, deleted)")
def test_sort_descending(fleet):
    sorted_rule_check(fleet, "vehicleName", "Name", "name", "DESC")


@rule("TRIMBLE-PAGE-11", "a limit below 1 or a negative offset is refused with 400", AREA)
def test_bad_paging_is_refused(fleet):
    expect.status(fleet.http.get("/vehicles", params={"limit": 0}), 400)
    expect.status(fleet.http.get("/vehicles", params={"offset": -1}), 400)
