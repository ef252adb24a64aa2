"""Response formats: JSON by default; XML, CSV, JSV and HTML by `format` or `Accept`."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ElementTree

import pytest


@pytest.mark.parametrize(
    "name,media_type",
    [
        ("json", "application/json"),
        ("xml", "application/xml"),
        ("csv", "text/csv"),
        ("jsv", "text/jsv"),
        ("html", "text/html"),
    ],
)
def test_format_and_accept_choose_the_format(owner, car, name, media_type):
    by_query = owner.get(f"/cars/{car['Id']}", params={"format": name})
    by_accept = owner.get(f"/cars/{car['Id']}", headers={"Accept": media_type})
    for response in (by_query, by_accept):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media_type


def test_xml_holds_the_resource(owner, car):
    root = ElementTree.fromstring(owner.get(f"/cars/{car['Id']}", params={"format": "xml"}).content)
    assert root.tag == "CarResponse" and root.find("Car/Id").text == car["Id"]
    assert root.find("Car/Verifications") is not None


def test_csv_holds_the_rows_of_a_search(owner):
    listed = owner.get("/cars", params={"sort": "Make"}).json()["Cars"]
    rows = list(csv.DictReader(io.StringIO(owner.get("/cars", params={"format": "csv", "sort": "Make"}).text)))
    assert [r["Id"] for r in rows] == [c["Id"] for c in listed]
    assert "Metadata" not in rows[0] and rows[0]["Make"] == listed[0]["Make"]


def test_jsv_is_json_without_quotes(owner, car):
    text = owner.get(f"/cars/{car['Id']}", params={"format": "jsv", "embed": "none"}).text
    assert text.startswith("{Car:{Id:" + car["Id"]) and "Make:Toyota" in text and '"' not in text


def test_html_is_a_readable_page(owner, car):
    page = owner.get(f"/cars/{car['Id']}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html")
    assert page.text.startswith("<!DOCTYPE html>") and "<table>" in page.text and car["Id"] in page.text


def test_writes_answer_in_the_chosen_format_too(owner):
    response = owner.post(
        "/cars", params={"format": "xml"}, json={"Make": "Kia", "Model": "Niro", "Year": 2022, "LicensePlate": "XML-1"}
    )
    assert response.status_code == 201 and response.headers["content-type"].startswith("application/xml")


def test_an_unknown_format_is_refused_clearly(owner, car):
    by_query = owner.get(f"/cars/{car['Id']}", params={"format": "yaml"})
    assert by_query.status_code == 400
    assert by_query.json()["ResponseStatus"]["Errors"][0]["FieldName"] == "format"
    by_accept = owner.get(f"/cars/{car['Id']}", headers={"Accept": "application/yaml"})
    assert by_accept.status_code == 406 and by_accept.json()["ResponseStatus"]["ErrorCode"] == "NotAcceptable"


def test_an_unacceptable_accept_changes_nothing(owner):
    before = owner.get("/cars").json()["Metadata"]["Total"]
    refused = owner.post(
        "/cars",
        headers={"Accept": "image/png"},
        json={"Make": "Kia", "Model": "Niro", "Year": 2022, "LicensePlate": "PNG-1"},
    )
    assert refused.status_code == 406
    assert owner.get("/cars").json()["Metadata"]["Total"] == before
