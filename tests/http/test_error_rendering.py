"""Every domain error through every profile's renderer, each answer checked against that profile's own spec."""

from __future__ import annotations

import ast
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import reduce
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest
from starlette.datastructures import URL, Headers

from conformance.contract import load_spec
from mockserver.engine import errors
from mockserver.engine.errors import (
    DOMAIN_KINDS,
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    InjectedFault,
    InternalError,
    InvalidInput,
    MethodNotAllowed,
    NotAcceptable,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    Unauthenticated,
    Unavailable,
    UnknownRoute,
    Unprocessable,
    UnsupportedMediaType,
)
from mockserver.engine.ratelimit import RateDecision
from mockserver.hourfleet.errors import OAuthError
from mockserver.http.context import TRACE_KEY, RequestTrace
from mockserver.http.errors import ErrorDispatcher
from mockserver.http.rendering import INJECTED_RETRY_AFTER, ErrorRenderer, RequestFacts, Row
from mockserver.invers import problems
from mockserver.profiles import CONTROL, VENDOR_PROFILES

ROOT = Path(__file__).parent.parent.parent
PROFILES = {profile.name: profile for profile in (*VENDOR_PROFILES, CONTROL)}
RETRY_AFTER = 7
REQUEST_ID = "req-1"
CONTENT_TYPE = "text/plain; charset=utf-8"
# The profiles whose statuses the cases spell out (a profile added later is checked against its spec alone).
PROFILES_WITH_STATUSES = ("trimble", "invers", "hourfleet", "control")


@dataclass(frozen=True)
class Case:
    """One error, the status most profiles answer it with, and the profiles that answer otherwise."""

    name: str
    make: Callable[[], DomainError]
    status: int
    unlike: dict[str, int] = field(default_factory=dict)


def rate_limited() -> RateLimited:
    decision = RateDecision(allowed=False, limit=5, remaining=0, resets_at=datetime(2026, 1, 1, tzinfo=UTC))
    return RateLimited("Rate limit of 5 requests exceeded; retry in 7 s.", decision, RETRY_AFTER)


INJECTED = (400, 401, 403, 404, 409, 418, 429, 503, 599)
FIELDS = (FieldError("limit", "must be at most 100", "maximum"), FieldError("[0].Name", "is required", "required"))
# Kinds another profile raises are bugs where they show up: answered with the vendor's 500.
HOURFLEET_ONLY = {"trimble": 500, "invers": 500, "control": 500}
CASES = [
    Case("InvalidInput", lambda: InvalidInput("The request is invalid."), 400),
    Case("InvalidInput-fields", lambda: InvalidInput("The request is invalid.", FIELDS), 400),
    Case("InvalidInput-field-without-code", lambda: InvalidInput("Bad.", (FieldError("x", "is odd"),)), 400),
    Case("Unauthenticated-missing", lambda: Unauthenticated("No token.", Unauthenticated.MISSING), 401),
    Case("Unauthenticated-invalid", lambda: Unauthenticated("Unknown token.", Unauthenticated.INVALID), 401),
    Case("Unauthenticated-expired", lambda: Unauthenticated("Old token.", Unauthenticated.EXPIRED), 401),
    Case("Forbidden", lambda: Forbidden("Not for you."), 403, {"trimble": 400}),
    Case("NotFound", lambda: NotFound("No such vehicle."), 404),
    Case("UnknownRoute", lambda: UnknownRoute("Not Found"), 404),
    Case("MethodNotAllowed", lambda: MethodNotAllowed("Method Not Allowed", ("GET", "POST")), 405),
    Case("MethodNotAllowed-none-allowed", lambda: MethodNotAllowed("Method Not Allowed"), 405),
    Case("Conflict", lambda: Conflict("Clash."), 409),
    Case("Unprocessable", lambda: Unprocessable("Inconsistent."), 400, {"control": 422}),
    Case("UnsupportedMediaType", lambda: UnsupportedMediaType("Unsupported Media Type"), 415),
    Case("PayloadTooLarge", lambda: PayloadTooLarge(4 * 1024 * 1024), 413),
    Case("RateLimited", rate_limited, 429),
    Case("InternalError", lambda: InternalError("An unexpected error occurred."), 500),
    *(Case(f"InjectedFault-{s}", lambda s=s: InjectedFault(s), s) for s in INJECTED),
    Case("Unavailable", lambda: Unavailable(), 503),
    Case("ReferencedResourceNotFound", lambda: problems.ReferencedResourceNotFound("No fleet 9."), 400),
    Case("SharedWithPartner", lambda: problems.SharedWithPartner("Shared."), 409),
    Case("CommandNotSupported", lambda: problems.CommandNotSupported("No horn."), 409),
    Case("ConflictingState", lambda: problems.ConflictingState("Already locked."), 409),
    Case("MissingPermissions", lambda: problems.MissingPermissions("Not yours."), 403, {"trimble": 400}),
    Case("ResourceNotFound", lambda: problems.ResourceNotFound("No such vehicle."), 404),
    Case("NotAcceptable", lambda: NotAcceptable("No format."), 406),
    Case("OAuthError", lambda: OAuthError("invalid_grant", "The code is used."), 400, HOURFLEET_ONLY),
    Case("OAuthError-401", lambda: OAuthError("invalid_client", "Unknown client.", 401), 401, HOURFLEET_ONLY),
]


class OneProfile:
    """The dispatcher's route table, reduced to one profile."""

    def __init__(self, profile) -> None:
        self.profile = profile

    def profile_for(self, path: str):
        return self.profile

    def allowed_methods(self, path: str) -> tuple[str, ...]:
        return ("GET",)


def respond(profile, error: DomainError):
    """The response the server sends for `error` on a PUT of `profile`'s (through the one dispatcher)."""
    trace = RequestTrace(profile=profile.name, request_id=REQUEST_ID)
    request = SimpleNamespace(
        method="PUT",
        url=URL(f"http://testserver{profile.base_path}/things/1?x=1"),
        headers=Headers({"content-type": CONTENT_TYPE}),
        scope={"extensions": {TRACE_KEY: trace}},
    )
    return ErrorDispatcher(OneProfile(profile), profile).render(request, error)


def resolve(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        node = reduce(lambda parent, key: parent[key], node["$ref"].removeprefix("#/").split("/"), spec)
    return node


def documented_responses(spec: dict, status: int, or_any_error: bool = True) -> list[dict]:
    """What the spec documents for `status`, or, for a status it documents nowhere, for any error."""

    def responses(wanted: Callable[[str], bool]) -> list[dict]:
        found: list[dict] = []
        for item in spec["paths"].values():
            for operation in item.values():
                for code, response in (operation.get("responses", {}) if isinstance(operation, dict) else {}).items():
                    if wanted(str(code).upper()) and resolve(spec, response) not in found:
                        found.append(resolve(spec, response))
        return found

    exact = responses(lambda code: code in (str(status), f"{status // 100}XX"))
    return exact or (responses(lambda code: code[0] in "45") if or_any_error else [])


def documents_retry_after(spec: dict, status: int) -> bool:
    return any("Retry-After" in response.get("headers", {}) for response in documented_responses(spec, status, False))


def off_spec(spec: dict, status: int, content_type: str, body) -> str | None:
    """Why `body` is not what `spec` documents for `status` in `content_type`; None if it is."""
    documented = documented_responses(spec, status)
    schemas = [r["content"][content_type]["schema"] for r in documented if content_type in r.get("content", {})]
    if not schemas:
        media_types = sorted({media for r in documented for media in r.get("content", {})})
        return f"{content_type} is not documented for {status} (only {media_types})"
    problems_found = []
    for schema in schemas:
        validator = jsonschema.Draft4Validator({**schema, "components": spec["components"]})
        problem = jsonschema.exceptions.best_match(validator.iter_errors(body))
        if problem is None:
            return None
        problems_found.append(f"at /{'/'.join(map(str, problem.absolute_path))}: {problem.message}")
    return "; ".join(problems_found)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_error_is_answered_as_the_profiles_spec_documents(name, case, caplog):
    profile = PROFILES[name]
    spec = load_spec(profile.spec)
    error = case.make()
    with caplog.at_level(logging.ERROR, logger="fleetbox"):
        response = respond(profile, error)
    body = json.loads(response.body)
    if name in PROFILES_WITH_STATUSES:
        assert response.status_code == case.unlike.get(name, case.status)
    assert (problem := off_spec(spec, response.status_code, response.content_type, body)) is None, problem

    headers = response.headers
    if isinstance(error, RateLimited):
        assert headers["Retry-After"] == str(RETRY_AFTER)
    elif isinstance(error, Unavailable) or (isinstance(error, InjectedFault) and error.status == 429):
        assert headers["Retry-After"] == str(INJECTED_RETRY_AFTER)
    else:
        assert "Retry-After" not in headers
    if documents_retry_after(spec, response.status_code):
        assert int(headers["Retry-After"]) >= 1
    if isinstance(error, MethodNotAllowed) and error.allowed:
        assert headers["Allow"] == "GET, POST"
    else:
        assert "Allow" not in headers
    if isinstance(error, UnsupportedMediaType):
        # Where the message names the media type, it is without its parameters (the control plane's does not).
        assert "charset" not in response.body.decode()
        assert ("text/plain" in response.body.decode()) is (name != "control")

    foreign = response.status_code == 500 and not isinstance(error, (InternalError, InjectedFault))
    logged = [record.getMessage() for record in caplog.records if record.name == "fleetbox"]
    bug = f"{name}'s error table has no row for {type(error).__name__}: answered as a 500"
    assert logged == ([bug] if foreign else [])


@pytest.mark.parametrize("name", [n for n, p in PROFILES.items() if documents_retry_after(load_spec(p.spec), 429)])
def test_an_injected_429_says_when_to_retry(name):
    assert respond(PROFILES[name], InjectedFault(429)).headers["Retry-After"] == str(INJECTED_RETRY_AFTER)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_the_check_fails_a_body_off_the_spec(name):
    """A body missing a required member, or with a member of the wrong type, is refused."""
    profile = PROFILES[name]
    spec = load_spec(profile.spec)
    response = respond(profile, NotFound("No such vehicle."))
    body = json.loads(response.body)
    assert off_spec(spec, 404, response.content_type, body) is None
    first = next(iter(body))
    assert off_spec(spec, 404, response.content_type, {k: v for k, v in body.items() if k != first}) is not None
    assert off_spec(spec, 404, response.content_type, {**body, first: [body[first]]}) is not None
    assert off_spec(spec, 404, "text/html", body) is not None


def test_the_vendor_bodies_carry_the_request_and_the_status():
    assert json.loads(respond(PROFILES["invers"], InjectedFault(503)).body)["flow_id"] == REQUEST_ID
    hourfleet = json.loads(respond(PROFILES["hourfleet"], InvalidInput("Bad.", FIELDS)).body)["ResponseStatus"]
    assert hourfleet["Meta"] == {"RequestId": REQUEST_ID}
    assert hourfleet["ErrorCode"] == "LessThanOrEqual"  # ServiceStack names a validation error by its first field
    assert [e["ErrorCode"] for e in hourfleet["Errors"]] == ["LessThanOrEqual", "NotEmpty"]
    for name in ("invers", "control"):
        for case in CASES:
            response = respond(PROFILES[name], case.make())
            assert json.loads(response.body)["status"] == response.status_code


def test_the_cases_cover_every_kind_of_domain_error():
    shown = {type(case.make()) for case in CASES}
    assert set(DOMAIN_KINDS) | set(problems.KINDS) | {OAuthError} <= shown
    defined = {
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, DomainError) and value is not DomainError
    }
    assert defined == set(DOMAIN_KINDS), "engine/errors.py defines a kind DOMAIN_KINDS does not list"


def test_a_table_missing_a_kind_stops_the_import():
    def body(answer):
        return {"message": answer.message}

    complete = {kind: Row(400) for kind in DOMAIN_KINDS}
    ErrorRenderer("complete", complete, body)
    missing = r"^partial's error table does not say how to render RateLimited, InternalError$"
    with pytest.raises(TypeError, match=missing):
        ErrorRenderer("partial", {k: v for k, v in complete.items() if k not in (RateLimited, InternalError)}, body)
    # A row for DomainError itself would be a catch-all: it does not count.
    with pytest.raises(TypeError, match="InvalidInput"):
        ErrorRenderer("catch-all", {DomainError: Row(400)}, body)


def test_the_most_specific_row_and_template_win():
    rendered = ErrorRenderer(
        "test",
        {
            **{kind: Row(400, "generic") for kind in DOMAIN_KINDS},
            UnknownRoute: Row(404, "route"),
            (Unauthenticated, Unauthenticated.EXPIRED): Row(401, "expired"),
        },
        lambda answer: {"code": answer.code, "message": answer.message},
        {NotFound: "Nothing at {request.path}.", (Unauthenticated, Unauthenticated.EXPIRED): lambda e, r: "Old."},
    )
    facts = RequestFacts(method="GET", url="http://x/a", path="/a", content_type="")
    assert rendered(UnknownRoute("Not Found"), facts).body == {"code": "route", "message": "Nothing at /a."}
    assert rendered(problems.ResourceNotFound("No."), facts).body == {"code": "generic", "message": "Nothing at /a."}
    assert rendered(Unauthenticated("x", Unauthenticated.EXPIRED), facts).body == {"code": "expired", "message": "Old."}
    assert rendered(Unauthenticated("x", Unauthenticated.MISSING), facts).body == {"code": "generic", "message": "x"}


def test_the_media_type_is_the_content_type_without_parameters():
    facts = RequestFacts(method="POST", url="http://x/a", path="/a", content_type=" Text/Plain ; charset=utf-8")
    assert facts.media_type == "Text/Plain"
    assert RequestFacts(method="POST", url="http://x/a", path="/a", content_type="").media_type == ""


def test_renderers_import_nothing_from_the_dispatcher_nor_add_common_headers():
    renderers = [p for p in (ROOT / "mockserver").glob("*/errors.py") if p.parent.name not in ("engine", "http")]
    assert len(renderers) >= 4
    for path in [*renderers, ROOT / "mockserver" / "invers" / "problems.py"]:
        source = path.read_text()
        imported = {
            node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom) and node.module
        }
        assert "mockserver.http.errors" not in imported, path
        assert "Retry-After" not in source and '"Allow"' not in source, path
