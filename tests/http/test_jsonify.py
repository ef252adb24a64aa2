"""The JSON writer of every handler's answer (http/jsonify.py): compact orjson, the standard library for what
orjson refuses."""

from __future__ import annotations

import json

from mockserver.http.jsonify import JSONIFIER, _dumps


def test_answers_are_compact_json_that_reads_back_the_same():
    data = {"b": [1, 2.5, None, True], "a": "ümlaut \u2028", "nested": {"empty": {}}}
    text = _dumps(data)
    assert json.loads(text) == data
    assert ", " not in text and ": " not in text and "\n" not in text


def test_integers_beyond_64_bits_are_still_written():
    huge = {"offset": 131035035712553467510784}
    assert _dumps(huge) == '{"offset":131035035712553467510784}'


def test_json_dumps_options_connexion_passes_are_ignored():
    assert _dumps({"a": 1}, cls=json.JSONEncoder, indent=2) == '{"a":1}'


def test_connexion_writes_and_reads_through_it():
    assert JSONIFIER.dumps({"a": [1]}).rstrip("\n") == '{"a":[1]}'
    assert JSONIFIER.loads(b'{"a": [1]}') == {"a": [1]}


def test_a_served_answer_is_compact(trimble):
    response = trimble.get("/vehicles", params={"limit": 1})
    head = response.text.split('"data"')[0]
    assert response.status_code == 200 and response.text.startswith('{"')
    assert ", " not in head and '": ' not in head and "\n" not in head
