"""Connexion's check of each spec, answered first by jsonschema-rs (mockserver/http/spec_check.py): the shipped
specs take the quick path, and a spec Connexion refuses is still refused, in Connexion's own words."""

from __future__ import annotations

import copy

import pytest
from connexion.exceptions import InvalidSpecification
from connexion.spec import OpenAPISpecification

from conformance.contract import load_spec
from mockserver.http import spec_check

SPECS = ["trimble.yaml", "invers.yaml", "hourfleet.yaml", "sandbox.yaml"]


@pytest.fixture(autouse=True)
def installed():
    spec_check.install()


def connexion_verdict(spec: dict) -> str | None:
    try:
        spec_check._connexion_check(OpenAPISpecification, copy.deepcopy(spec))
    except InvalidSpecification as error:
        return str(error)
    return None


@pytest.mark.parametrize("name", SPECS)
def test_the_shipped_specs_take_the_quick_path(name, monkeypatch):
    spec = load_spec(name)
    monkeypatch.setattr(spec_check, "_connexion_check", lambda cls, spec: pytest.fail("took the slow path"))
    OpenAPISpecification._validate_spec(spec)


def broken_response(spec: dict) -> dict:
    spec["paths"]["/vehicles"]["get"]["responses"] = {"200": {"not-a-description": 1}}
    return spec


def broken_default(spec: dict) -> dict:
    spec["components"]["schemas"]["Broken"] = {"type": "integer", "default": "not a number"}
    return spec


@pytest.mark.parametrize("breaking", [broken_response, broken_default])
def test_a_spec_connexion_refuses_is_refused_in_its_words(breaking):
    spec = breaking(load_spec("trimble.yaml"))
    expected = connexion_verdict(spec)
    assert expected is not None
    with pytest.raises(InvalidSpecification) as refused:
        OpenAPISpecification._validate_spec(spec)
    assert str(refused.value) == expected
