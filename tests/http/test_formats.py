"""Response formats beyond JSON (http/formats.py): choosing one, and writing the same data as XML, CSV,
JSV and HTML. The hourfleet tests show them served."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ElementTree

import pytest

from mockserver.http.formats import negotiate, to_csv, to_html, to_jsv, to_xml, write


@pytest.mark.parametrize(
    "format_name,accept,chosen",
    [
        ("XML", "text/csv", "xml"),
        (None, None, "json"),
        (None, "  ", "json"),
        (None, "*/*", "json"),
        (None, "text/xml", "xml"),
        (None, "application/json;q=0.5, text/csv", "csv"),
        (None, "text/html;q=0.2, application/jsv;q=0.9", "jsv"),
        (None, "text/csv;q=oops, text/html;q=0.1", "html"),
        (None, "image/png", None),
    ],
)
def test_format_wins_then_the_best_accepted_type(format_name, accept, chosen):
    assert negotiate(format_name, accept) == chosen


def test_jsv_quotes_only_what_it_must_and_omits_nulls():
    body = {"Name": "Kia", "Note": 'a, "b"', "Empty": "", "Gone": None, "Ok": True, "List": [1, " x"]}
    assert to_jsv(body) == '{Name:Kia,Note:"a, ""b""",Empty:"",Ok:true,List:[1," x"]}'


def test_csv_shows_the_rows_of_the_first_list_with_the_fullest_rows_columns():
    cars = [{"Id": "1", "Make": "Kia"}, {"Id": "2", "Make": "VW", "Extras": {"Seats": 5}, "Ok": False}]
    body = {"Cars": cars, "Total": 2}
    rows = list(csv.reader(io.StringIO(to_csv(body))))
    assert rows == [["Id", "Make", "Extras", "Ok"], ["1", "Kia", "", ""], ["2", "VW", "{Seats:5}", "false"]]
    assert list(csv.reader(io.StringIO(to_csv({"Car": {"Id": "7"}})))) == [["Id"], ["7"]]


def test_xml_names_list_items_by_their_singular():
    body = {"Cars": [{"Id": "1"}, {"Id": "2"}], "Equipment": ["x"], "Gone": None}
    root = ElementTree.fromstring(to_xml(body, "CarsResponse"))
    assert root.tag == "CarsResponse" and [car.find("Id").text for car in root.find("Cars")] == ["1", "2"]
    assert [item.tag for item in root.find("Equipment")] == ["EquipmentItem"] and root.find("Gone") is None


def test_html_escapes_what_it_shows():
    page = to_html({"Car": {"Make": "<script>"}}, "Car & co")
    assert "<title>Car &amp; co</title>" in page and "&lt;script&gt;" in page and "<script>" not in page


def test_json_stays_a_dict_for_the_apps_json_writer():
    body = {"Car": {"Id": "1"}}
    assert write("json", body, "CarResponse") is body
    assert write("xml", body, "CarResponse").startswith('<?xml version="1.0" encoding="utf-8"?><CarResponse>')
