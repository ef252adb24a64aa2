"""Bearer tokens in every profile: missing or unknown ones are 401 in the vendor's words, tokens expire on
the sandbox clock, and a token dies with its sandbox."""

from __future__ import annotations

import pytest

from mockserver.trimble.world import TOKEN_LIFETIME as TRIMBLE_TOKEN_LIFETIME

from .vendors import HOURFLEET, INVERS, TRIMBLE, each

TRIMBLE_DENIED = {"message": "Authorization has been denied for this request."}


def trimble_denied(response) -> None:
    assert response.json() == TRIMBLE_DENIED


def invers_problem(type_: str, detail_words: str = ""):
    def check(response) -> None:
        assert response.json()["type"] == type_
        assert detail_words in response.json()["detail"]

    return check


def hourfleet_status(error_code: str | None = None, message_words: str = ""):
    def check(response) -> None:
        status = response.json()["ResponseStatus"]
        assert error_code is None or status["ErrorCode"] == error_code
        assert message_words in status["Message"]

    return check


def anonymous(sandbox, vendor):
    return {
        "trimble": sandbox.anonymous_trimble,
        "invers": sandbox.anonymous_invers,
        "hourfleet": sandbox.anonymous_hourfleet,
    }[vendor.name]()


@pytest.mark.parametrize(
    "vendor,authorization,check",
    each(
        (TRIMBLE, None, trimble_denied),
        (TRIMBLE, "bearer nope", trimble_denied),
        (TRIMBLE, "Basic dXNlcjpwdw==", trimble_denied),
        (TRIMBLE, "bearer", trimble_denied),
        (INVERS, None, invers_problem("/problems/missing-credentials")),
        (INVERS, "Bearer not-a-token", invers_problem("/problems/invalid-credentials")),
        (INVERS, "Bearer", invers_problem("/problems/invalid-credentials")),
        (INVERS, "Basic dXNlcjpwdw==", invers_problem("/problems/invalid-credentials")),
        (HOURFLEET, None, hourfleet_status("Unauthorized")),
        (HOURFLEET, "Bearer not-a-token", hourfleet_status()),
        suffix=lambda case: "no-token" if case[1] is None else case[1].replace(" ", "-").replace("=", ""),
    ),
)
def test_missing_malformed_and_unknown_tokens_are_refused_with_401(sandbox, vendor, authorization, check):
    headers = {} if authorization is None else {"Authorization": authorization}
    response = anonymous(sandbox, vendor).get(vendor.guarded_path, headers=headers)
    assert response.status_code == 401, headers
    check(response)


@pytest.mark.parametrize(
    "vendor,still_valid_after,expired_after,check",
    each(
        (TRIMBLE, TRIMBLE_TOKEN_LIFETIME.total_seconds() - 30, 31, trimble_denied),
        (INVERS, 899, 2, invers_problem("/problems/invalid-credentials", "expired")),
        (HOURFLEET, 899, 2, hourfleet_status(message_words="expired")),
    ),
)
def test_tokens_expire_on_the_sandbox_clock(sandbox, vendor, still_valid_after, expired_after, check):
    client = vendor.caller(sandbox, 0)
    advance = f"/sandboxes/{sandbox.id}/clock/advance"
    assert client.get(vendor.read_path).status_code == 200
    assert sandbox.control.post(advance, json={"seconds": still_valid_after}).status_code == 200
    assert client.get(vendor.read_path).status_code == 200
    assert sandbox.control.post(advance, json={"seconds": expired_after}).status_code == 200
    response = client.get(vendor.read_path)
    assert response.status_code == 401
    check(response)


@pytest.mark.parametrize(
    "vendor,check",
    each(
        (TRIMBLE, trimble_denied),
        (INVERS, invers_problem("/problems/invalid-credentials")),
        (HOURFLEET, hourfleet_status()),
    ),
)
def test_a_token_is_bound_to_its_sandbox(sandbox, vendor, check):
    client = vendor.caller(sandbox, 0)
    sandbox.control.delete(f"/sandboxes/{sandbox.id}")
    response = client.get(vendor.guarded_path)
    assert response.status_code == 401
    check(response)
