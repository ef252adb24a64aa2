"""Media types a spec documents beside `content` (`x-fleetbox-also-accepts`, kept out of client generators'
way) are served like the documented one."""

from __future__ import annotations

import httpx
import pytest

from conformance.contract import load_spec, openapi_dir
from conformance.hourfleet import login_form
from mockserver.app import with_also_accepted_media_types

SPECS = sorted(path.name for path in openapi_dir().glob("*.yaml"))


def also_accepted(spec: dict) -> list[tuple[str, str, dict]]:
    return [
        (f"{method.upper()} {path}", media, operation["requestBody"])
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict)
        for media in operation.get("requestBody", {}).get("x-fleetbox-also-accepts", [])
    ]


@pytest.mark.parametrize("spec", SPECS)
def test_a_media_type_also_accepted_is_served_with_the_documented_schema(spec):
    document = load_spec(spec)
    for operation, media, body in also_accepted(document):
        assert media not in body["content"], f"{operation} documents {media} twice"
    for operation, media, body in also_accepted(with_also_accepted_media_types(document)):
        assert body["content"][media] is next(iter(body["content"].values())), operation


def test_hourfleet_oauth_takes_form_bodies_and_also_json():
    assert {
        operation for operation, media, _ in also_accepted(load_spec("hourfleet.yaml")) if media == "application/json"
    } == {"POST /oauth/token", "POST /oauth/auth"}


def test_the_oauth_endpoints_still_read_json_bodies(sandbox):
    app, user = sandbox.hourfleet_app, sandbox.hourfleet_users()[0]
    client = sandbox.anonymous_hourfleet()
    redirected = client.post("/oauth/auth", json=login_form(app, user, state="s"))
    assert redirected.status_code == 302, redirected.text
    code = httpx.URL(redirected.headers["location"]).params["code"]
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": app["redirect_uri"],
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
    }
    token = client.post("/oauth/token", json=exchange)
    assert token.status_code == 200, token.text
    assert token.json()["token_type"] == "Bearer"
    refused = client.post("/oauth/token", json={"grant_type": 5})
    assert refused.status_code == 400
    assert refused.json()["ResponseStatus"]["Errors"][0]["FieldName"] == "grant_type"
