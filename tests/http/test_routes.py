"""The route table (http/routes.py): whose path it is, which methods it allows, which read a body; and
DeclaredMethodsOnly, which refuses every other method before Connexion routes the request."""

from __future__ import annotations

import httpx
import pytest

from mockserver.engine.errors import MethodNotAllowed
from mockserver.http.profile import Profile
from mockserver.http.routes import DeclaredMethodsOnly, RouteTable, compile_template

from ..support import HOURFLEET_BASE, INVERS_BASE
from .asgi import Reached, call, scope_of, stub_profile


def profile(name: str, base_path: str) -> Profile:
    return stub_profile(name, base_path)


BODY = {"requestBody": {"content": {"application/json": {}}}}
OUTER, INNER = profile("outer", "/api"), profile("inner", "/api/v2")
ROUTES = RouteTable(
    [
        (OUTER, {"paths": {"/cars": {"get": {}, "post": BODY, "parameters": []}}}),
        (INNER, {"paths": {"/cars/{carId}": {"get": {}, "patch": BODY, "delete": {}}}}),
    ]
)


def test_the_longest_base_path_owns_a_path():
    assert ROUTES.profile_for("/api/v2/cars/1") is INNER
    assert ROUTES.profile_for("/api/v2") is INNER
    assert ROUTES.profile_for("/api/cars") is OUTER
    assert ROUTES.profile_for("/api/v20/cars") is OUTER
    assert ROUTES.profile_for("/apis") is None


def test_allowed_methods_are_the_declared_ones_sorted_and_parameters_are_no_method():
    assert ROUTES.allowed_methods("/api/cars") == ("GET", "POST")
    assert ROUTES.allowed_methods("/api/cars/") == ("GET", "POST")
    assert ROUTES.allowed_methods("/api/v2/cars/abc") == ("DELETE", "GET", "PATCH")
    assert ROUTES.allowed_methods("/api/v2/cars/abc/more") == ()
    assert ROUTES.allowed_methods("/api/trucks") == ()


def test_only_operations_documenting_a_body_read_one():
    assert ROUTES.reads_body("/api/cars", "POST") and ROUTES.reads_body("/api/v2/cars/1", "PATCH")
    assert not ROUTES.reads_body("/api/cars", "GET") and not ROUTES.reads_body("/api/v2/cars/1", "DELETE")
    assert not ROUTES.reads_body("/api/nowhere", "POST")


def test_a_template_parameter_matches_exactly_one_segment():
    pattern = compile_template("/vehiclegroups/{vehicleGroupId}/vehicles")
    assert pattern.fullmatch("/vehiclegroups/17/vehicles")
    assert not pattern.fullmatch("/vehiclegroups/1/2/vehicles") and not pattern.fullmatch("/vehiclegroups//vehicles")
    assert compile_template("/a.b").fullmatch("/a.b") and not compile_template("/a.b").fullmatch("/aXb")


@pytest.mark.parametrize("method", ["HEAD", "OPTIONS", "PUT"])
def test_declared_methods_only_refuses_undeclared_methods_with_the_allowed_ones(method):
    reached = Reached()
    with pytest.raises(MethodNotAllowed) as refused:
        call(DeclaredMethodsOnly(reached.app, ROUTES, ("/api",)), scope_of(method, "/api/cars"))
    assert refused.value.allowed == ("GET", "POST") and method in refused.value.message
    assert reached.scope is None


@pytest.mark.parametrize("method,path", [("GET", "/api/cars"), ("PUT", "/api/trucks"), ("PUT", "/other/cars")])
def test_declared_methods_only_passes_declared_methods_unknown_paths_and_other_apis(method, path):
    reached = Reached()
    call(DeclaredMethodsOnly(reached.app, ROUTES, ("/api",)), scope_of(method, path))
    assert reached.scope["path"] == path


def test_served_apis_answer_405_with_every_method_of_the_path(server):
    # hourfleet declares its methods only, so even HEAD is refused, before authentication.
    head = httpx.head(f"{server.url}{HOURFLEET_BASE}/cars")
    assert head.status_code == 405 and head.headers["allow"] == "GET, POST"
    invers = httpx.request("PUT", f"{server.url}{INVERS_BASE}/vehicles/X/sharing")
    assert invers.status_code == 405 and invers.headers["allow"] == "DELETE, PATCH, POST"
