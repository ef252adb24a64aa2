"""Connexion's Flask views with their decorator chain built once (http/views.py)."""

from __future__ import annotations

import httpx
from connexion.apps.flask import FlaskOperation


def test_a_served_app_builds_each_views_decorators_once(server):
    """Connexion's own views rebuild their decorator chain on every request (see http/views.py)."""
    assert httpx.get(f"{server.url}/__sandbox/health").status_code == 200
    views = server.app.app.view_functions
    operation_views = [name for name in views if name != "static"]
    assert len(operation_views) > 50
    assert not [name for name in operation_views if isinstance(views[name], FlaskOperation)]


def test_a_view_answers_alike_on_first_and_later_requests(trimble):
    """The chain built on the first request serves every later one, parameters parsed anew each time."""
    pages = [trimble.get("/vehicles", params={"limit": limit}).json() for limit in (1, 3, 1)]
    assert [len(page["data"]) for page in pages] == [1, 3, 1]
    assert pages[0] == pages[2]
