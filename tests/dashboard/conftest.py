"""Fixtures of the dashboard's browser tests: a fleetbox server of their own, chromium, a fresh page."""

from __future__ import annotations

import os
import uuid

import httpx
import pytest
from playwright.sync_api import expect

from tests.support import LiveServer, SandboxHandle

from .browser import CHROMIUM, chromium

# Live updates come every second and the list every three; a loaded CI machine gets room beyond that.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="module")
def server():
    live = LiveServer().start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/ensure-debian-packages)")
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser, server):
    """A page of a new browser context (so an empty sessionStorage), whose script errors fail the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()
    assert not errors, f"the page raised: {errors}"


@pytest.fixture
def sandbox(server):
    """A sandbox made through the API for tests that do not create one in the page, deleted afterwards."""
    sandbox_id = f"d-{uuid.uuid4().hex[:10]}"
    response = httpx.post(f"{server.url}/__sandbox/sandboxes", json={"id": sandbox_id, "seed": 3, "size": 5})
    assert response.status_code == 201, response.text
    yield SandboxHandle(server.url, response.json())
    httpx.delete(f"{server.url}/__sandbox/sandboxes/{sandbox_id}")
