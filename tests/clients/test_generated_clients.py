"""Clients generated from each spec with openapi-python-client are typed and drive a session against the sandbox."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
import typing
from pathlib import Path

import httpx
import pytest

from conformance.contract import spec_path
from tests.support import HOURFLEET_BASE, INVERS_BASE, TRIMBLE_BASE

SPECS = ("trimble", "invers", "hourfleet", "sandbox")
# A model named `...Type0` is a generator's name for one side of a union the spec left unnamed.
UNNAMED_ALTERNATIVE = re.compile(r"Type\d")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """`generated(spec, module)` imports `module` of the client generated from `spec`.yaml."""
    root = tmp_path_factory.mktemp("clients")
    # The generator formats its output with ruff, installed beside it.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    for spec in SPECS:
        command = [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(spec_path(f"{spec}.yaml")),
            "--meta",
            "none",
            "--output-path",
            str(root / f"generated_{spec}"),
            "--fail-on-warning",
        ]
        run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
        assert run.returncode == 0, f"{spec}.yaml: {run.stdout}\n{run.stderr}"
    sys.path.insert(0, str(root))
    yield lambda spec, module="": importlib.import_module(f"generated_{spec}" + (f".{module}" if module else ""))
    sys.path.remove(str(root))
    for name in [name for name in sys.modules if name.startswith("generated_")]:
        del sys.modules[name]


def body_type(operation) -> object:
    """The type an operation's generated function takes its body as (a NameError if it cannot say)."""
    return typing.get_type_hints(operation.sync)["body"]


@pytest.mark.parametrize("spec", SPECS)
def test_every_module_imports_and_no_model_is_an_unnamed_alternative(generated, spec):
    root = Path(generated(spec).__file__).parent
    for module in (path.relative_to(root).with_suffix("") for path in root.rglob("*.py")):
        if module.name != "__init__":
            generated(spec, ".".join(module.parts))
    models = generated(spec, "models")
    assert [name for name in models.__all__ if UNNAMED_ALTERNATIVE.search(name)] == []


def test_trimble_group_bodies_are_models_and_a_session_works(generated, sandbox):
    models = generated("trimble", "models")
    api = "api.vehicle_groups."
    create, rename, assign = (
        generated("trimble", api + name)
        for name in ("create_vehicle_groups", "update_vehicle_group", "assign_vehicles_to_group")
    )
    assert body_type(create) == list[models.VehicleGroupWrite]
    assert body_type(rename) is models.VehicleGroupWrite
    assert body_type(assign) == list[models.VehicleReference]
    assert body_type(generated("trimble", "api.vehicles.create_vehicles")) == list[models.VehicleWrite]

    clients = generated("trimble", "client")
    base_url = sandbox.server_url + TRIMBLE_BASE
    authenticate = generated("trimble", "api.authentication.authenticate")
    key = sandbox.trimble_account("direct")["apiKey"]
    token = authenticate.sync(client=clients.Client(base_url), body=models.AuthenticateRequest(api_key=key))
    assert isinstance(token, models.Token), token
    client = clients.AuthenticatedClient(base_url, token=token.token, prefix="bearer")

    created = create.sync(client=client, body=[models.VehicleGroupWrite(vehicleGroupName="generated-client-group")])
    assert isinstance(created, models.VehicleGroupBatchResult), created
    group_id = created.data[0].vehicle_group_id
    new_name = models.VehicleGroupWrite(VehicleGroupName="generated-client-renamed")
    renamed = rename.sync(group_id, client=client, body=new_name)
    assert not isinstance(renamed, models.Error), renamed
    vehicle = generated("trimble", "api.vehicles.list_vehicles").sync(client=client, limit=1).data[0]
    assigned = assign.sync(group_id, client=client, body=[models.VehicleReference(vehicle_id=vehicle.vehicle_id)])
    assert isinstance(assigned, models.AssignmentResult), assigned
    assert [v.vehicle_id for v in assigned.data] == [vehicle.vehicle_id]

    groups = generated("trimble", "api.vehicle_groups.list_vehicle_groups").sync(client=client, limit=100)
    assert isinstance(groups, models.VehicleGroupCollection), groups
    assert "generated-client-renamed" in [group.vehicle_group_name for group in groups.data]


def test_invers_token_and_vehicles(generated, sandbox):
    models = generated("invers", "models")
    clients = generated("invers", "client")
    base_url = sandbox.server_url + INVERS_BASE
    secret = sandbox.invers_client(0)
    basic = clients.Client(base_url, httpx_args={"auth": (secret["client_id"], secret["client_secret"])})
    issue_token = generated("invers", "api.authentication.issue_token")
    token = issue_token.sync(client=basic, grant_type=models.GrantType.CLIENT_CREDENTIALS)
    assert isinstance(token, models.Token), token

    client = clients.AuthenticatedClient(base_url, token=token.access_token)
    vehicles = generated("invers", "api.vehicles.list_vehicles").sync(client=client, limit=50)
    assert isinstance(vehicles, models.VehicleList), vehicles
    assert vehicles.items
    # A shared vehicle's sharing is the named model, an unshared one's None.
    assert all(vehicle.sharing is None or isinstance(vehicle.sharing, models.Sharing) for vehicle in vehicles.items)


def test_hourfleet_token_is_a_form_body_and_a_session_works(generated, sandbox):
    models = generated("hourfleet", "models")
    issue_token = generated("hourfleet", "api.authentication.issue_token")
    assert body_type(issue_token) is models.TokenRequest
    assert body_type(generated("hourfleet", "api.authentication.authorize")) is models.AuthorizeRequest
    app = sandbox.hourfleet_app
    secret = {"client_id": app["client_id"], "client_secret": app["client_secret"]}
    request = models.TokenRequest(grant_type="client_credentials", **secret)
    sent = issue_token._get_kwargs(body=request)
    assert (sent["headers"]["Content-Type"], "json" in sent) == ("application/x-www-form-urlencoded", False)

    clients = generated("hourfleet", "client")
    base_url = sandbox.server_url + HOURFLEET_BASE
    token = issue_token.sync(client=clients.Client(base_url), body=request)
    assert isinstance(token, models.Token), token
    client = clients.AuthenticatedClient(base_url, token=token.access_token)
    cars = generated("hourfleet", "api.cars.search_cars").sync(client=client, limit=5)
    assert isinstance(cars, models.CarList), cars
    assert 0 < len(cars.cars) <= 5


def hourfleet_user(generated, sandbox, user: dict):
    """A generated client acting as `user`, signed in through the authorization-code grant."""
    models, clients = generated("hourfleet", "models"), generated("hourfleet", "client")
    app, base_url = sandbox.hourfleet_app, sandbox.server_url + HOURFLEET_BASE
    login = models.AuthorizeRequest(
        username=user["username"],
        password=user["password"],
        response_type=models.AuthorizeRequestResponseType.CODE,
        client_id=app["client_id"],
        redirect_uri=app["redirect_uri"],
        state="s",
    )
    authorize = generated("hourfleet", "api.authentication.authorize")
    redirected = authorize.sync_detailed(client=clients.Client(base_url), body=login)
    assert redirected.status_code == 302, redirected.content
    code = httpx.URL(redirected.headers["location"]).params["code"]
    exchange = models.TokenRequest(
        grant_type="authorization_code",
        code=code,
        redirect_uri=app["redirect_uri"],
        client_id=app["client_id"],
        client_secret=app["client_secret"],
    )
    issue_token = generated("hourfleet", "api.authentication.issue_token")
    token = issue_token.sync(client=clients.Client(base_url), body=exchange)
    assert isinstance(token, models.Token), token
    return clients.AuthenticatedClient(base_url, token=token.access_token)


def test_hourfleet_users_create_and_book_a_car(generated, sandbox):
    models = generated("hourfleet", "models")
    owner, borrower = (hourfleet_user(generated, sandbox, user) for user in sandbox.hourfleet_users()[:2])
    # The generator sends these bodies form-encoded, which the API reads like JSON.
    car = models.CarCreate(make="Kia", model="Niro", year=2022, license_plate="GEN 1", price_per_hour=9.5)
    created = generated("hourfleet", "api.cars.create_car").sync(client=owner, body=car)
    assert isinstance(created, models.CarResponse), created
    assert (created.car.make, created.car.license_plate) == ("Kia", "GEN 1")

    # Dates are the strings the API takes (a date-time type would send +00:00, which it refuses).
    window = models.CarBookingCreate(start_date_utc="2031-01-31T09:00:00Z", end_date_utc="2031-01-31T12:00:00Z")
    book = generated("hourfleet", "api.bookings.create_car_booking")
    booked = book.sync(created.car.id, client=borrower, body=window)
    assert isinstance(booked, models.CarBookingResponse), booked
    search = generated("hourfleet", "api.bookings.search_car_bookings")
    found = search.sync(created.car.id, client=owner, from_utc="2031-01-01T00:00:00Z", to_utc="2031-12-31T00:00:00Z")
    assert [booking.id for booking in found.car_bookings] == [booked.car_booking.id]


def test_sandbox_fault_body_is_a_model_and_a_session_works(generated, sandbox):
    models = generated("sandbox", "models")
    create_fault = generated("sandbox", "api.faults.create_fault")
    assert body_type(create_fault) is models.FaultRequest
    client = generated("sandbox", "client").Client(sandbox.server_url + "/__sandbox")

    listed = generated("sandbox", "api.sandboxes.list_sandboxes").sync(client=client)
    assert sandbox.id in [summary.id for summary in listed.sandboxes]
    body = models.FaultRequest(status=503, profile=models.FaultRequestProfile.TRIMBLE, path="/vehicles*", times=1)
    fault = create_fault.sync(sandbox.id, client=client, body=body)
    assert isinstance(fault, models.Fault), fault
    assert (fault.status, fault.profile, fault.remaining) == (503, "trimble", 1)
    faults = generated("sandbox", "api.faults.list_faults").sync(sandbox.id, client=client)
    assert [f.id for f in faults.faults] == [fault.id]

    # A nullable object is its named model or None, both ways.
    limits = models.RateLimits(trimble=models.RateLimit(limit=500, window_seconds=60), invers=None)
    generated("sandbox", "api.limits.set_rate_limits").sync(sandbox.id, client=client, body=limits)
    answered = generated("sandbox", "api.limits.get_rate_limits").sync(sandbox.id, client=client)
    assert isinstance(answered.trimble, models.RateLimit) and answered.trimble.limit == 500
    assert answered.invers is None
