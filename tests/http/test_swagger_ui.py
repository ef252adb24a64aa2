"""Each API's Swagger UI and spec documents are served beside it, and only there."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml
from connexion.utils import yamldumper

from mockserver.http.swagger_ui import spec_as_yaml

from ..support import HOURFLEET_BASE, INVERS_BASE, TRIMBLE_BASE

BASES = [TRIMBLE_BASE, INVERS_BASE, HOURFLEET_BASE, "/__sandbox"]
SPECS = sorted((Path(__file__).parents[2] / "openapi").glob("*.yaml"))


@pytest.mark.parametrize("base", BASES)
def test_the_spec_is_served_as_json_and_yaml(server, base):
    # Each document is written on its first request (the YAML of a big spec takes a CPU second, several
    # under a loaded CI run), so the first asks get longer than httpx's 5 s; what this checks is the content.
    as_json = httpx.get(f"{server.url}{base}/openapi.json", timeout=60)
    assert as_json.status_code == 200
    assert as_json.json()["openapi"].startswith("3.0")
    as_yaml = httpx.get(f"{server.url}{base}/openapi.yaml", timeout=60)
    assert as_yaml.status_code == 200
    assert as_yaml.headers["content-type"].startswith("text/yaml")


@pytest.mark.parametrize("base", BASES)
def test_the_swagger_ui_page_its_files_and_its_redirect_are_served(server, base):
    page = httpx.get(f"{server.url}{base}/ui/")
    assert page.status_code == 200
    assert "swagger-ui" in page.text and f"{base}/openapi.json" in page.text
    assert httpx.get(f"{server.url}{base}/ui/swagger-ui.css").status_code == 200
    redirect = httpx.get(f"{server.url}{base}/ui")
    assert redirect.status_code in (302, 307)
    assert redirect.headers["location"].endswith(f"{base}/ui/")


def test_an_api_path_that_merely_contains_ui_reaches_the_api(server, sandbox):
    """A vehicle called `ui` is the API's business: its 401 in the vendor's format, not the UI's."""
    response = httpx.get(f"{server.url}{INVERS_BASE}/vehicles/ui")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("spec_file", SPECS, ids=lambda path: path.stem)
def test_the_yaml_document_is_what_connexions_own_writer_makes_of_the_spec(spec_file):
    spec = yaml.safe_load(spec_file.read_text())
    spec["info"]["description"] = "two\nlines"  # written as a block, as Connexion writes it
    # Connexion's writer patches PyYAML's shared representer for good: put back before writing ours.
    representer = yaml.representer.SafeRepresenter
    assert "represent_scalar" not in vars(representer)  # its base class's, until Connexion's writer runs
    try:
        expected = yamldumper(spec)
    finally:
        del representer.represent_scalar
    assert "description: |-\n    two\n    lines" in expected
    assert spec_as_yaml(spec) == expected
