"""fleetbox in a consumer's own tests: `fleetbox_server` and a fresh `fleetbox_sandbox` per test (pytest11 plugin).

    def test_lists_vehicles(fleetbox_sandbox):
        app = MyFleetApp(fleetbox_sandbox.trimble.base_url, fleetbox_sandbox.trimble.direct.api_key)
        app.sync()
        fleetbox_sandbox.journal.assert_requested("GET", "/vehicles", times=1)

The server runs in-process on a free loopback port, or is the one `FLEETBOX_URL` names (a shared service or
container; `FLEETBOX_CONTROL_TOKEN` when it wants one). `@pytest.mark.fleetbox(seed=7, size=50)` picks the
sandbox's world. A failing test's report shows the sandbox's last exchanges.

Installed, it is loaded by every pytest run, so it imports nothing beyond pytest until a fixture is used.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conformance.client import ControlClient, LiveSandbox

URL_VARIABLE = "FLEETBOX_URL"
TOKEN_VARIABLE = "FLEETBOX_CONTROL_TOKEN"
MARKER = "fleetbox"
SANDBOX_KEY = pytest.StashKey["LiveSandbox"]()
READY_SECONDS = 30
REPORTED_EXCHANGES = 10


class FleetboxServer:
    """A fleetbox server the tests use: its `url` (origin) and its control plane (`control`)."""

    def __init__(self, url: str, token: str | None = None, *, plain: bool = False) -> None:
        from conformance.client import ControlClient

        self.url = url.rstrip("/")
        http = None
        if plain:
            import httpx

            from conformance.client.control import TIMEOUT_SECONDS

            # A server of this process, over plain HTTP on loopback: no TLS, so no CA bundle to load (a tenth of a
            # second of the fixture's start).
            http = httpx.Client(timeout=TIMEOUT_SECONDS, verify=False)
        self.control: ControlClient = ControlClient(self.url, token, http=http)
        self._stop = lambda: None
        # An in-process server's start-up: seconds (wall clock, CPU) of each phase, for bench/startup.py.
        self.start_phases: dict[str, tuple[float, float]] = {}

    def wait_until_ready(self, seconds: float = READY_SECONDS) -> FleetboxServer:
        """Wait for the server to answer its health check (a container may still be starting)."""
        import httpx

        deadline = time.monotonic() + seconds
        while True:
            try:
                self.control.health()
                return self
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def close(self) -> None:
        self.control.close()
        self._stop()


def start_in_process(host: str = "127.0.0.1") -> FleetboxServer:
    """A fleetbox server in a background thread of this process, on a free port of `host`."""
    import gc

    # As `fleetbox serve` does (mockserver/cli.py): no cyclic collection while start-up makes its 100,000 objects,
    # which are nearly all kept. `serve` then freezes them; here the process is the user's, whose objects are not
    # ours to pin, so they are only moved to the oldest generation (freeze, then unfreeze at once): the young
    # generations' next collections would otherwise traverse all of them (about 0.1 CPU seconds), and the next
    # full collection still sees them, as it sees everything. Unless the user froze objects of their own.
    collecting, frozen = gc.isenabled(), gc.get_freeze_count()
    gc.disable()
    try:
        return _start_in_process(host)
    finally:
        if not frozen:
            gc.freeze()
            gc.unfreeze()
        if collecting:
            gc.enable()


def _start_in_process(host: str) -> FleetboxServer:
    import socket
    import warnings

    phases: dict[str, tuple[float, float]] = {}
    last = [(time.perf_counter(), time.process_time())]

    def phase(name: str) -> None:
        now = (time.perf_counter(), time.process_time())
        phases[name] = (now[0] - last[0][0], now[1] - last[0][1])
        last[0] = now

    from .deferred import DEFERRED_BY_SERVE, defer, defer_httpx_cli

    # What Connexion's dependencies import but a server never calls, deferred to its first use as `serve` does;
    # whoever uses it later (the user's tests) gets the very module, only then.
    defer(*DEFERRED_BY_SERVE)
    defer_httpx_cli()
    # Connexion and its dependencies warn about their own deprecations on import: nothing the tests of a
    # fleetbox user can act on.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
        import uvicorn

        from .app import create_app
        from .profiles import vendor_profiles
        from .settings import Settings
        from .world_cache import with_cached_worlds

        phase("imports")
        with socket.socket() as probe:
            probe.bind((host, 0))
            port = probe.getsockname()[1]
        # Tests use sandboxes of their own: the `default` one gets the smallest world, which builds fastest. Worlds
        # come from the cache after their first generation (mockserver/world_cache.py): a suite's sandboxes
        # are nearly all of a few seeds and sizes.
        app = create_app(Settings(host=host, port=port, size=1), with_cached_worlds(vendor_profiles()))
        phase("create_app")
    # ws="none": no WebSocket is served, and uvicorn would otherwise import an implementation of them.
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, ws="none")
    server = uvicorn.Server(config)
    # Stopped by `close()`; a daemon, so a session that dies before that still exits.
    thread = threading.Thread(target=server.run, name="fleetbox-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + READY_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the in-process fleetbox server did not start")
        time.sleep(0.005)
    phase("server")
    started = FleetboxServer(f"http://{host}:{port}", plain=True)
    phase("control client")
    started.start_phases = phases

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    started._stop = stop
    return started


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}(seed=None, size=None): the seed and size of the test's fleetbox sandbox world"
    )


@pytest.fixture(scope="session")
def fleetbox_server() -> Iterator[FleetboxServer]:
    """The fleetbox server of the session: `$FLEETBOX_URL`'s, or one started in-process (stopped at the end)."""
    url = os.environ.get(URL_VARIABLE)
    server = FleetboxServer(url, os.environ.get(TOKEN_VARIABLE)).wait_until_ready() if url else start_in_process()
    yield server
    server.close()


@pytest.fixture
def fleetbox_sandbox(request: pytest.FixtureRequest, fleetbox_server: FleetboxServer) -> Iterator[LiveSandbox]:
    """A sandbox of the test's own (seed and size from `@pytest.mark.fleetbox`), deleted afterwards."""
    from conformance.client import LiveSandbox

    options: dict[str, Any] = {}
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        unknown = set(marker.kwargs) - {"seed", "size"}
        if marker.args or unknown:
            raise pytest.UsageError(f"@pytest.mark.{MARKER} takes only seed= and size= (got {sorted(unknown)})")
        options = {k: v for k, v in marker.kwargs.items() if v is not None}
    # The id names the test's worker, so a leftover (a killed run) says where it came from.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    sandbox_id = f"pytest-{worker}-{secrets.token_hex(4)}"
    sandbox = LiveSandbox.create(fleetbox_server.control, id=sandbox_id, **options)
    request.node.stash[SANDBOX_KEY] = sandbox
    try:
        yield sandbox
    finally:
        sandbox.delete()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """A failed test's report gets a section with its sandbox's last exchanges (what the client sent)."""
    report = yield
    sandbox = item.stash.get(SANDBOX_KEY, None)
    if sandbox is not None and report.failed and call.when in ("setup", "call"):
        try:
            text = sandbox.last_exchanges(REPORTED_EXCHANGES)
        except Exception as error:  # the report must not hide the test's own failure
            text = f"(could not read the sandbox's journal: {error})"
        report.sections.append((f"fleetbox sandbox {sandbox.id}: last exchanges", text))
    return report
