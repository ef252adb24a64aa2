"""GET /vehicles (and /drivers): offset/limit paging, sorting, links and vehicle groups."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest


def all_pages(client, path: str, **params) -> list[dict]:
    """Follow `next` links from the first page to the end."""
    items, url = [], path
    response = client.get(url, params=params)
    while True:
        body = response.json()
        items += body["data"]
        if "next" not in body:
            return items
        response = client.http.get(body["next"]["href"])


def query_of(link: dict) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(link["href"]).query).items()}


def test_the_default_page_is_twenty_sorted_by_name(trimble):
    body = trimble.get("/vehicles").json()
    assert body["offset"] == 0 and body["limit"] == 20 and body["size"] == 12
    names = [v["name"].casefold() for v in body["data"]]
    assert names == sorted(names) and len(names) == 12
    assert "previous" not in body and "next" not in body and "last" not in body
    assert query_of(body["first"]) == {"offset": "0", "limit": "20"}


def test_links_walk_the_pages(trimble):
    first = trimble.get("/vehicles", params={"limit": 5}).json()
    assert first["size"] == 12
    assert query_of(first["next"]) == {"offset": "5", "limit": "5"}
    assert query_of(first["last"]) == {"offset": "10", "limit": "5"}
    assert "previous" not in first
    middle = trimble.get("/vehicles", params={"limit": 5, "offset": 5}).json()
    assert query_of(middle["previous"]) == {"offset": "0", "limit": "5"}
    assert query_of(middle["next"]) == {"offset": "10", "limit": "5"}
    last = trimble.get("/vehicles", params={"limit": 5, "offset": 10}).json()
    assert len(last["data"]) == 2 and "next" not in last and query_of(last["previous"]) == {"offset": "5", "limit": "5"}
    walked = all_pages(trimble, "/vehicles", limit=5)
    assert len(walked) == 12 and len({v["id"] for v in walked}) == 12


def test_href_is_the_request_url(trimble, sandbox):
    body = trimble.get("/vehicles", params={"limit": 3}).json()
    assert body["href"] == f"{sandbox.server_url}/trimble/api/assets/v1/vehicles?limit=3"


def test_an_offset_past_the_end_is_an_empty_page(trimble):
    body = trimble.get("/vehicles", params={"offset": 500}).json()
    assert body["data"] == [] and body["size"] == 12 and "next" not in body


@pytest.mark.parametrize("expression,field", [("vehicleId", "vehicleId"), ("vehicleName", "name")])
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
def test_sorting_by_id_or_name_either_way(trimble, expression, field, direction):
    data = trimble.get(
        "/vehicles", params={"sortExpression": expression, "sortDirection": direction, "limit": 100}
    ).json()["data"]
    keys = [v[field].casefold() for v in data]
    assert keys == sorted(keys, reverse=direction == "DESC")


def test_the_sort_is_carried_in_the_links(trimble):
    body = trimble.get("/vehicles", params={"limit": 4, "sortExpression": "vehicleId", "sortDirection": "DESC"}).json()
    assert query_of(body["next"]) == {
        "offset": "4",
        "limit": "4",
        "sortExpression": "vehicleId",
        "sortDirection": "DESC",
    }
    walked = all_pages(trimble, "/vehicles", limit=4, sortExpression="vehicleId", sortDirection="DESC")
    keys = [v["vehicleId"].casefold() for v in walked]
    assert keys == sorted(keys, reverse=True)


def test_query_names_are_matched_in_any_case(trimble):
    body = trimble.get("/vehicles?LIMIT=2&Offset=1&sortdirection=DESC").json()
    assert body["limit"] == 2 and body["offset"] == 1
    everything = trimble.get("/vehicles", params={"sortDirection": "DESC", "limit": 100}).json()["data"]
    assert [v["id"] for v in body["data"]] == [v["id"] for v in everything[1:3]]


def test_vehicles_show_their_groups_and_only_when_they_have_some(trimble):
    data = trimble.get("/vehicles", params={"limit": 100}).json()["data"]
    grouped = [v for v in data if "vehicleGroups" in v]
    assert grouped and len(grouped) < len(data)
    for vehicle in grouped:
        assert vehicle["vehicleGroups"] and all(
            set(g) == {"vehicleGroupId", "vehicleGroupName"} for g in vehicle["vehicleGroups"]
        )


def test_new_vehicles_appear_in_the_list_at_their_sorted_place(trimble):
    trimble.post("/vehicles", json=[{"vehicleId": "first-by-name", "Name": "0000 first"}])
    body = trimble.get("/vehicles", params={"limit": 1}).json()
    assert body["size"] == 13 and body["data"][0]["vehicleId"] == "first-by-name"


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 1001},
        {"offset": -1},
        {"limit": "ten"},
        {"sortExpression": "name"},
        {"sortDirection": "up"},
    ],
)
def test_bad_paging_parameters_are_refused(trimble, params):
    response = trimble.get("/vehicles", params=params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == next(iter(params))


def test_drivers_page_and_sort_the_same_way(trimble):
    body = trimble.get("/drivers", params={"limit": 2, "sortExpression": "driverId", "sortDirection": "DESC"}).json()
    assert body["size"] == 6 and len(body["data"]) == 2
    assert set(body["data"][0]) == {"id", "name", "driverId", "modifiedOn"}
    walked = all_pages(trimble, "/drivers", limit=2, sortExpression="driverId", sortDirection="DESC")
    keys = [d["driverId"].casefold() for d in walked]
    assert keys == sorted(keys, reverse=True) and len(keys) == 6
