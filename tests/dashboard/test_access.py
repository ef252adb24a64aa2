"""The dashboard against a control plane that wants a token: it asks once, then sends it on every call."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from mockserver.app import create_app
from tests.support import LiveServer

TOKEN = "s3cret-control-token"


class RequireToken:
    """A stand-in for the control plane's access rules: every `/__sandbox` call needs the bearer token."""

    def __init__(self, app) -> None:
        self.app = app
        self.seen: list[tuple[str, str | None]] = []

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/__sandbox/"):
            authorization = dict(scope["headers"]).get(b"authorization", b"").decode() or None
            self.seen.append((scope["path"], authorization))
            if authorization != f"Bearer {TOKEN}":
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [(b"content-type", b"application/problem+json")],
                    }
                )
                await send(
                    {
                        "type": "http.response.body",
                        "body": b'{"type": "about:blank", "title": "Unauthorized", "status": 401}',
                    }
                )
                return
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def guarded():
    app = RequireToken(create_app())
    live = LiveServer(app=app).start()
    live.guard = app
    yield live
    live.stop()


@pytest.fixture
def guarded_page(browser, guarded):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"the page raised: {errors}"


def test_a_401_asks_for_the_token_which_every_later_call_carries(guarded_page, guarded):
    page = guarded_page
    page.goto(guarded.url + "/")  # the page itself needs no token
    dialog = page.locator("#token-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#server-info")).not_to_contain_text("fleetbox 0")
    page.fill("#token-dialog [name=token]", TOKEN)
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#sandbox-list")).to_contain_text("default")
    assert page.evaluate("sessionStorage.getItem('fleetbox.controlToken')") == TOKEN

    guarded.guard.seen.clear()
    page.click(".sandbox-link[data-id=default]")
    expect(page.locator("#sandbox-title")).to_have_text("Sandbox default")
    page.click("#tab-controls")
    expect(page.locator("#clock")).to_contain_text("running")
    seen = list(guarded.guard.seen)
    assert {path.rsplit("/", 1)[-1] for path, _ in seen} >= {"default", "journal", "clock", "rate-limits", "faults"}
    assert all(authorization == f"Bearer {TOKEN}" for _, authorization in seen), seen

    # A reload in the same tab keeps the token: no second question.
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    expect(dialog).to_be_hidden()
    expect(page.locator("#token-button")).to_be_visible()


def test_a_wrong_token_is_asked_for_again(guarded_page, guarded):
    page = guarded_page
    page.goto(guarded.url + "/")
    page.fill("#token-dialog [name=token]", "wrong")
    page.keyboard.press("Enter")
    expect(page.locator("#token-reason")).to_contain_text("refused the token")
    expect(page.locator("#token-dialog")).to_be_visible()
    page.fill("#token-dialog [name=token]", TOKEN)
    page.keyboard.press("Enter")
    page.wait_for_selector("body[data-ready=true]")
    assert httpx.get(guarded.url + "/__sandbox/health").status_code == 401
