"""Response formats: JSON by default; XML, CSV, JSV and HTML by `format` or `Accept` (vendor section
"Response Formats")."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ElementTree

from .. import expect
from ..rules import rule

AREA = "Formats"


def media_type(response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


@rule("HOURFLEET-FORMAT-01", "responses are JSON by default", AREA, writes="its cars (created, deleted)")
def test_json_default(owner, car):
    response = owner.http.get(f"/cars/{car['Id']}")
    expect.equal(media_type(response), "application/json", "the media type")
    expect.json_of(response)


@rule("HOURFLEET-FORMAT-02", "format=xml answers XML as application/xml", AREA, writes="its cars (created, deleted)")
def test_xml_by_query(owner, car):
    response = owner.http.get(f"/cars/{car['Id']}", params={"format": "xml"})
    expect.equal(media_type(response), "application/xml", "the media type")
    try:
        root = ElementTree.fromstring(response.content)
    except ElementTree.ParseError:
        raise AssertionError(f"expected well-formed XML, got {response.text[:120]!r}") from None
    expect.true(car["Id"] in ElementTree.tostring(root, encoding="unicode"), "the car's Id in the XML")


@rule("HOURFLEET-FORMAT-03", "Accept: application/xml answers XML too", AREA, writes="its cars (created, deleted)")
def test_xml_by_accept(owner, car):
    response = owner.http.get(f"/cars/{car['Id']}", headers={"Accept": "application/xml"})
    expect.equal(media_type(response), "application/xml", "the media type")


@rule(
    "HOURFLEET-FORMAT-04",
    "format=csv answers text/csv with one row per result of a search",
    AREA,
    writes="its cars (created, deleted)",
)
def test_csv(owner, car):
    listed = expect.json_of(owner.http.get("/cars", params={"sort": "LicensePlate"}))["Cars"]
    response = owner.http.get("/cars", params={"format": "csv", "sort": "LicensePlate"})
    expect.equal(media_type(response), "text/csv", "the media type")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    expect.equal([row.get("Id") for row in rows], [c["Id"] for c in listed], "the Ids of the CSV rows")


@rule("HOURFLEET-FORMAT-05", "format=jsv answers text/jsv", AREA, writes="its cars (created, deleted)")
def test_jsv(owner, car):
    response = owner.http.get(f"/cars/{car['Id']}", params={"format": "jsv"})
    expect.equal(media_type(response), "text/jsv", "the media type")
    expect.true(response.text.startswith("{") and car["Id"] in response.text, "a JSV object holding the car's Id")


@rule(
    "HOURFLEET-FORMAT-06",
    "format=html answers an HTML page as text/html",
    AREA,
    writes="its cars (created, deleted)",
)
def test_html(owner, car):
    response = owner.http.get(f"/cars/{car['Id']}", params={"format": "html"})
    expect.equal(media_type(response), "text/html", "the media type")
    expect.true("<html" in response.text.lower() and car["Id"] in response.text, "an HTML page showing the car")


@rule(
    "HOURFLEET-FORMAT-07",
    "an unknown format is refused with a 4xx ResponseStatus",
    AREA,
    writes="its cars (created, deleted)",
)
def test_unknown_format(owner, car):
    response = owner.http.get(f"/cars/{car['Id']}", params={"format": "yaml"})
    expect.true(400 <= response.status_code < 500, f"a 4xx status (got {response.status_code})")
    expect.true("ResponseStatus" in expect.json_of(response), "a ResponseStatus")
