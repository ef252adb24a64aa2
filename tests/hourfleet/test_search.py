"""Search conventions: Sort, Filter, Limit, Offset, Distinct and Metadata."""

from __future__ import annotations


def cars(client, **params) -> dict:
    response = client.get("/cars", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_metadata_describes_the_search(ops):
    body = cars(ops)
    assert body["Metadata"] == {
        "Total": len(body["Cars"]),
        "Limit": 0,
        "Offset": 0,
        "Sort": {"By": "CreatedDateUtc", "Direction": "Descending"},
        "Filter": {"Fields": []},
        "Distinct": None,
    }
    assert [c["CreatedDateUtc"] for c in body["Cars"]] == sorted(
        (c["CreatedDateUtc"] for c in body["Cars"]), reverse=True
    )


def test_sort_descending_ascending_and_plus(ops):
    descending = [c["Year"] for c in cars(ops, sort="-Year")["Cars"]]
    assert descending == sorted(descending, reverse=True) and descending != sorted(descending)
    for sort in ("Year", "+Year", " Year"):
        assert [c["Year"] for c in cars(ops, sort=sort)["Cars"]] == sorted(descending), sort
    assert cars(ops, sort="+Make")["Metadata"]["Sort"] == {"By": "Make", "Direction": "Ascending"}


def test_an_unknown_sort_field_is_400(ops):
    response = ops.get("/cars", params={"sort": "-Colour"})
    assert response.status_code == 400
    assert response.json()["ResponseStatus"]["Errors"][0]["FieldName"] == "Sort"


def test_filter_returns_id_plus_the_named_fields(ops):
    body = cars(ops, filter="Make, Year")
    assert all(set(c) <= {"Id", "Make", "Year"} and "Id" in c and "Make" in c for c in body["Cars"])
    assert body["Metadata"]["Filter"] == {"Fields": ["Make", "Year"]}


def test_limit_and_offset_page_while_total_counts_everything(ops):
    everything = [c["Id"] for c in cars(ops, sort="LicensePlate")["Cars"]]
    page = cars(ops, sort="LicensePlate", limit=3, offset=2)
    assert [c["Id"] for c in page["Cars"]] == everything[2:5]
    assert page["Metadata"]["Total"] == len(everything)
    assert (page["Metadata"]["Limit"], page["Metadata"]["Offset"]) == (3, 2)
    assert cars(ops, limit=2)["Cars"] == cars(ops)["Cars"][:2]


def test_distinct_keeps_one_result_per_value(ops):
    makes = [c["Make"] for c in cars(ops)["Cars"]]
    body = cars(ops, distinct="Make", filter="Make", sort="Make")
    assert [c["Make"] for c in body["Cars"]] == sorted(set(makes), key=str.casefold)
    assert body["Metadata"]["Distinct"] == "Make" and body["Metadata"]["Total"] == len(set(makes))


def test_bad_paging_values_are_400(ops):
    for params in ({"limit": -1}, {"offset": -5}, {"limit": "many"}, {"limit": 1001}):
        response = ops.get("/cars", params=params)
        assert response.status_code == 400, params
        assert len(response.json()["ResponseStatus"]["Errors"]) == 1
