"""Unknown routes, undeclared methods and other media types, answered in each vendor's error format."""

from __future__ import annotations

import httpx
import pytest

from ..hourfleet.steps import new_car
from ..invers.steps import assert_problem
from .vendors import HOURFLEET, INVERS, TRIMBLE, each


def trimble_says(message: str):
    def check(response) -> None:
        assert response.json() == {"message": message}

    return check


def hourfleet_error_code(code: str):
    def check(response) -> None:
        assert response.json()["ResponseStatus"]["ErrorCode"] == code

    return check


def trimble_no_resource(response) -> None:
    assert response.json()["message"].startswith("No HTTP resource was found that matches the request URI")


def hourfleet_no_handler(response) -> None:
    assert response.json()["ResponseStatus"]["Message"] == "Handler for Request not found: GET /hourfleet/api/trucks"


@pytest.mark.parametrize(
    "vendor,path,check",
    each(
        (TRIMBLE, "/trucks", trimble_no_resource),
        (INVERS, "/no-such-resource", lambda response: assert_problem(response, 404, "/problems/resource-not-found")),
        (HOURFLEET, "/trucks", hourfleet_no_handler),
    ),
)
def test_an_unknown_route_is_404_in_the_vendors_format(sandbox, vendor, path, check):
    response = vendor.caller(sandbox, 0).get(path)
    assert response.status_code == 404
    check(response)


def checked_request(method: str, path: str):
    def send(sandbox, client):
        return client.request(method, path)

    return send


def raw_request_to_a_car(method: str):
    """Past the checked client: HEAD, OPTIONS and TRACE are in no spec for it to check against."""

    def send(sandbox, client):
        car = new_car(client)
        return httpx.request(method, f"{client.base_url}/cars/{car['Id']}", headers=client.http.headers)

    return send


def unless_head(method: str, check):
    return (lambda response: None) if method == "HEAD" else check


@pytest.mark.parametrize(
    "vendor,send,allow,check",
    each(
        (
            TRIMBLE,
            checked_request("PATCH", "/vehicles"),
            "DELETE, GET, POST, PUT",
            trimble_says("The requested resource does not support http method 'PATCH'."),
        ),
        (
            INVERS,
            checked_request("PUT", "/vehicles"),
            "GET",
            lambda response: assert_problem(response, 405, "/problems/method-not-allowed"),
        ),
        *[
            pytest.param(
                HOURFLEET,
                raw_request_to_a_car(method),
                "DELETE, GET, PATCH",
                unless_head(method, hourfleet_error_code("MethodNotAllowed")),
                id=f"hourfleet-{method}",
            )
            for method in ("HEAD", "OPTIONS", "TRACE", "POST")
        ],
    ),
)
def test_a_method_the_path_lacks_is_405_with_a_complete_allow_header(sandbox, vendor, send, allow, check):
    response = send(sandbox, vendor.caller(sandbox, 0))
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    check(response)


@pytest.mark.parametrize(
    "vendor,method,path,content,media_type,check",
    each(
        (
            TRIMBLE,
            "POST",
            "/vehicles",
            b"vehicleId=x",
            "application/x-www-form-urlencoded",
            trimble_says(
                "The request entity's media type 'application/x-www-form-urlencoded' is not supported"
                " for this resource."
            ),
        ),
        (
            INVERS,
            "PATCH",
            "/vehicles/X",
            b"license_plate=B",
            "text/plain",
            lambda response: assert_problem(response, 415, "/problems/unsupported-media-type"),
        ),
        (HOURFLEET, "POST", "/cars", b"<Car/>", "application/xml", hourfleet_error_code("UnsupportedMediaType")),
    ),
)
def test_a_body_in_another_media_type_is_415(sandbox, vendor, method, path, content, media_type, check):
    response = vendor.caller(sandbox, 0).request(method, path, content=content, headers={"Content-Type": media_type})
    assert response.status_code == 415
    check(response)
