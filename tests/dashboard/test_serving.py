"""How the server serves the dashboard: the page and its files at `/`, everything else as before."""

from __future__ import annotations

import re

import httpx
import pytest

from mockserver.dashboard import STATIC


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url) as client:
        yield client


def test_the_page_is_served_at_the_root_with_a_strict_content_policy(http):
    response = http.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<title>fleetbox dashboard</title>" in response.text
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert http.head("/").status_code == 200


def test_every_file_the_page_names_is_served_with_its_type(http):
    page = http.get("/").text
    scripts = {path: "javascript" for path in re.findall(r'src="(dashboard/[^"]+)"', page)}
    styles = {path: "text/css" for path in re.findall(r'href="(dashboard/[^"]+)"', page)}
    modules = {f"dashboard/{name.name}": "javascript" for name in STATIC.glob("*.js")}
    assert scripts and styles and len(modules) > 1
    for path, kind in {**scripts, **styles, **modules}.items():
        response = http.get(f"/{path}")
        assert response.status_code == 200, path
        assert kind in response.headers["content-type"], path


def test_the_modules_import_only_files_that_exist(http):
    for module in STATIC.glob("*.js"):
        for imported in re.findall(r'from "\./([^"]+)"', module.read_text()):
            assert (STATIC / imported).is_file(), f"{module.name} imports {imported}"


def test_other_paths_are_left_to_the_apis(http):
    assert http.get("/dashboard/missing.js").status_code == 404
    assert http.get("/dashboard/../../app.py").status_code == 404
    missing = http.get("/no-such-page")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert "content-security-policy" not in missing.headers
    assert http.get("/__sandbox/health").json()["status"] == "ok"
    # Only reading is the page's: a POST to the root goes on to the server's own answer.
    assert http.post("/", json={}).status_code in (404, 405)
