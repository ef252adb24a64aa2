"""What start-up leaves out stays out, and what it does instead gives the same results (timings: bench/startup.py)."""

from __future__ import annotations

import copy
import gc
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from connexion.exceptions import InvalidSpecification
from connexion.spec import OpenAPISpecification, Specification
from starlette.testclient import TestClient

from conformance.contract import load_spec
from mockserver import spec_copies
from mockserver.app import create_app
from mockserver.settings import Settings
from mockserver.spec_copies import copied

ROOT = Path(__file__).resolve().parent.parent


def test_pickled_copies_are_deep_copies_that_keep_shared_objects_shared():
    spec = load_spec("hourfleet.yaml")
    shared = {"type": "string"}
    spec["components"]["schemas"]["A"] = {"properties": {"x": shared, "y": shared}}
    made = copied(spec)
    assert made == copy.deepcopy(spec)
    assert made is not spec and made["components"] is not spec["components"]
    properties = made["components"]["schemas"]["A"]["properties"]
    assert properties["x"] is properties["y"] and properties["x"] is not shared


def test_what_pickle_cannot_copy_is_copied_as_deepcopy_copies_it():
    lock = threading.Lock()  # no pickle for locks; deepcopy fails on it too, the same way
    value = {"key": [1, 2], "function": len}
    assert copied(value) == value and copied(value)["key"] is not value["key"]
    try:
        copy.deepcopy(lock)
    except TypeError as expected:
        try:
            copied(lock)
        except TypeError as error:
            assert str(error) == str(expected)
        else:
            raise AssertionError("copied() copied what deepcopy cannot")


def test_flask_gets_no_blueprints_and_every_api_still_answers():
    app = create_app(Settings(size=1))
    client = TestClient(app)  # no lifespan: uvicorn's "auto" only tries it, and Dispatch answers HTTP alone
    assert client.get("/trimble/api/assets/v1/vehicles").status_code == 401
    assert client.get("/__sandbox/health").status_code == 200
    assert client.get("/trimble/api/assets/v1/openapi.json").status_code == 200
    assert app.app.blueprints == {}


def test_serve_leaves_out_httpx_command_line_client():
    probe = "import sys, mockserver.cli, httpx; print('rich' in sys.modules, sys.modules['httpx._main'])"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "None"]


def run_python(code: str, tmp_path: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore", "FLEETBOX_CACHE_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


SERVE_PROBE = """
import gc, socket, sys, uvicorn
from mockserver import cli
from mockserver.deferred import DEFERRED_BY_SERVE, is_deferred

async def serve(server, sockets=None):  # instead of serving: what the server would serve with
    from starlette.testclient import TestClient
    client = TestClient(server.config.app)
    print(client.get("/trimble/api/assets/v1/vehicles").status_code, client.get("/__sandbox/ui/").status_code)
    print(*[is_deferred(name) for name in DEFERRED_BY_SERVE])
    # Start-up's objects frozen, and the collector on for what serving makes.
    print(gc.isenabled(), gc.get_freeze_count() > 50_000)
    import requests, arrow  # whoever does use them gets them, run in place
    print(requests.get.__module__, arrow.get("2020-01-01").year, sys.modules["requests"] is requests)

uvicorn.Server.serve = serve
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
code = cli.main(["serve", "--store", "memory", "--size", "1", "--port", str(port)])
print(gc.isenabled())
sys.exit(code)
"""


def test_serve_defers_what_it_never_calls_and_freezes_what_start_up_made(tmp_path):
    lines = run_python(SERVE_PROBE, tmp_path)
    assert lines[-10:] == ["401", "200", "True", "True", "True", "True", "requests.api", "2020", "True", "True"]


def test_serve_collects_garbage_again_when_it_refuses_to_start(capsys):
    import gc

    from mockserver import cli

    assert cli.main(["serve", "--http-port", "8443"]) == 2  # --http-port without --tls
    assert "--http-port only makes sense with --tls" in capsys.readouterr().err
    assert gc.isenabled()


def test_a_deferred_package_runs_before_any_of_its_submodules(tmp_path):
    probe = (
        "import sys; from mockserver.deferred import defer, is_deferred; defer('requests'); "
        "import requests; print(is_deferred('requests')); import requests.adapters; "
        "print(is_deferred('requests'), hasattr(requests, 'Session'), 'requests.adapters' in sys.modules)"
    )
    assert run_python(probe, tmp_path) == ["True", "False", "True", "True"]


def test_a_failing_deferred_module_fails_where_it_is_used_and_is_tried_again(tmp_path):
    (tmp_path / "broken_once.py").write_text(
        "import os\nif not os.path.exists(__file__ + '.ok'):\n    open(__file__ + '.ok', 'w').close()\n"
        "    raise RuntimeError('first run fails')\nVALUE = 1\n"
    )
    probe = (
        f"import sys; sys.path.insert(0, {str(tmp_path)!r}); from mockserver.deferred import defer; "
        "defer('broken_once'); import broken_once\n"
        "try:\n    broken_once.VALUE\nexcept RuntimeError:\n    print('failed:', 'broken_once' in sys.modules)\n"
        "import broken_once\nprint(broken_once.VALUE)"
    )
    assert run_python(probe, tmp_path) == ["failed:", "False", "1"]


def made_by_connexion(spec: dict) -> Specification:
    """What Connexion's own `Specification.__init__` makes of `spec` (no cache)."""
    made = OpenAPISpecification.__new__(OpenAPISpecification)
    spec_copies._made_by(made, spec)
    return made


def test_a_specification_made_before_is_loaded_as_connexion_would_make_it(tmp_path, monkeypatch):
    monkeypatch.setenv("FLEETBOX_CACHE_DIR", str(tmp_path))
    spec_copies.install()
    spec = load_spec("hourfleet.yaml")
    # Two references to one response: the resolved spec shares what they point at.
    spec["components"]["responses"]["Shared"] = {"description": "shared", "content": {}}
    shared = {"$ref": "#/components/responses/Shared"}
    spec["paths"]["/one"] = {"get": {"operationId": "one", "responses": {"200": dict(shared)}}}
    spec["paths"]["/two"] = {"get": {"operationId": "two", "responses": {"200": dict(shared)}}}
    given_to_connexion = copy.deepcopy(spec)
    made = made_by_connexion(given_to_connexion)
    first = Specification.from_dict(copy.deepcopy(spec))
    assert len(list(tmp_path.glob("specification-*.pickle"))) == 1
    given = copy.deepcopy(spec)
    kept = Specification.from_dict(given)
    for specification in (first, kept):
        # The same data with the same objects shared (a pickle records which objects are one and the same).
        assert pickle.dumps(specification.raw) == pickle.dumps(made.raw)
        assert pickle.dumps(specification.spec) == pickle.dumps(made.spec)
    assert kept.spec is not first.spec and kept.raw is not first.raw
    assert given == given_to_connexion  # what Connexion's set-up fills in, filled in alike
    changed = copy.deepcopy(spec)
    changed["info"]["title"] = "another"
    assert Specification.from_dict(changed).spec["info"]["title"] == "another"
    assert len(list(tmp_path.glob("specification-*.pickle"))) == 2


def test_a_refused_specification_is_never_kept_and_is_refused_again_in_the_same_words(tmp_path, monkeypatch):
    monkeypatch.setenv("FLEETBOX_CACHE_DIR", str(tmp_path))
    spec_copies.install()
    spec = load_spec("trimble.yaml")
    spec["paths"]["/broken"] = {"get": {"responses": "not a mapping"}}
    messages = []
    for _ in range(2):
        with pytest.raises(InvalidSpecification) as refused:
            Specification.from_dict(copy.deepcopy(spec))
        messages.append(str(refused.value))
    assert messages[0] == messages[1]
    assert list(tmp_path.glob("specification-*")) == []


def test_a_specification_that_refers_to_another_file_is_made_afresh_every_time(tmp_path, monkeypatch):
    monkeypatch.setenv("FLEETBOX_CACHE_DIR", str(tmp_path / "cache"))
    spec_copies.install()
    (tmp_path / "other.yaml").write_text("Thing: {type: string}\n")
    spec = load_spec("trimble.yaml")
    spec["components"]["schemas"]["Thing"] = {"$ref": f"{(tmp_path / 'other.yaml').as_uri()}#/Thing"}
    assert Specification.from_dict(copy.deepcopy(spec)).spec["components"]["schemas"]["Thing"] == {"type": "string"}
    (tmp_path / "other.yaml").write_text("Thing: {type: integer}\n")
    assert Specification.from_dict(copy.deepcopy(spec)).spec["components"]["schemas"]["Thing"] == {"type": "integer"}
    assert list((tmp_path / "cache").glob("specification-*")) == []


def test_threads_using_a_deferred_module_at_once_all_get_it_whole(tmp_path):
    (tmp_path / "slow_module.py").write_text("import time\nFIRST = 1\ntime.sleep(0.3)\nLAST = 2\n")
    probe = (
        f"import sys, threading; sys.path.insert(0, {str(tmp_path)!r}); from mockserver.deferred import defer; "
        "defer('slow_module'); import slow_module\n"
        "seen = []\n"
        "threads = [threading.Thread(target=lambda: seen.append(slow_module.LAST)) for _ in range(4)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print(sorted(seen))"
    )
    assert run_python(probe, tmp_path) == ["[2,", "2,", "2,", "2]"]


PLUGIN_PROBE = """
import gc, sys
import pytest, mockserver.pytest_plugin as plugin
from mockserver.deferred import DEFERRED_BY_SERVE, is_deferred
for collecting in (True, False):
    (gc.enable if collecting else gc.disable)()
    server = plugin.start_in_process()
    # The collector as the user had it; what the server never calls still deferred, httpx's CLI left out.
    print(gc.isenabled() == collecting, gc.get_freeze_count() == 0, *[is_deferred(n) for n in DEFERRED_BY_SERVE])
    print("rich" in sys.modules, server.control.health().status, sorted(server.start_phases))
    server.close()
gc.freeze()  # the user's own frozen objects stay frozen
frozen = gc.get_freeze_count()
plugin.start_in_process().close()
print(gc.get_freeze_count() > frozen // 2)  # some may have died since, all would be gone
import httpx, requests, arrow  # the user's tests get them whole, run in place
print(requests.get.__module__, arrow.get("2020-01-01").year, sys.modules["requests"] is requests)
import contextlib, io
try:
    with contextlib.redirect_stdout(io.StringIO()):
        httpx.main(["--help"])  # httpx's command-line client, imported now
except SystemExit as done:
    print(done.code, "rich" in sys.modules, httpx.main is sys.modules["httpx._main"].main)
"""


def test_the_plugins_server_defers_what_it_never_calls_and_leaves_the_collector_as_it_was(tmp_path):
    lines = run_python(PLUGIN_PROBE, tmp_path)
    phases = ["['control", "client',", "'create_app',", "'imports',", "'server']"]
    start = ["True", "True", "True", "True", "False", "ok", *phases]
    assert lines[: 2 * len(start)] == start * 2
    assert lines[2 * len(start) :][-7:] == ["True", "requests.api", "2020", "True", "0", "True", "True"]


GENERATOR = """
CALLS = []

def generate(seed, size):
    CALLS.append((seed, size))
    return {"seed": seed, "size": size, "version": VERSION}
"""


def test_a_cached_world_is_the_generated_one_and_any_change_to_what_made_it_makes_it_afresh(tmp_path, monkeypatch):
    from mockserver.engine.sandbox import WorldFactory
    from mockserver.profiles import vendor_profiles
    from mockserver.world_cache import _package_hash, cached

    monkeypatch.setenv("FLEETBOX_CACHE_DIR", str(tmp_path / "cache"))
    for profile in vendor_profiles():
        made = cached(profile.worlds).generate(7, 3)
        assert made == profile.worlds.generate(7, 3) == cached(profile.worlds).generate(7, 3)
    assert len(list((tmp_path / "cache").glob("world-*.pickle"))) == 3

    package = tmp_path / "worldgen"
    package.mkdir()
    (package / "__init__.py").write_text("VERSION = 1\n" + GENERATOR)
    monkeypatch.syspath_prepend(str(tmp_path))
    import worldgen

    factory = cached(WorldFactory(generate=worldgen.generate, load=lambda document, sandbox: None))
    assert [factory.generate(1, 2), factory.generate(1, 2), factory.generate(1, 3)] == [
        {"seed": 1, "size": 2, "version": 1},
        {"seed": 1, "size": 2, "version": 1},
        {"seed": 1, "size": 3, "version": 1},
    ]
    assert worldgen.CALLS == [(1, 2), (1, 3)], "read from the cache the second time"
    (package / "__init__.py").write_text("VERSION = 2\n" + GENERATOR)  # the generator's package changed
    _package_hash.cache_clear()
    factory = cached(WorldFactory(generate=worldgen.generate, load=lambda document, sandbox: None))
    factory.generate(1, 2)
    assert worldgen.CALLS == [(1, 2), (1, 3), (1, 2)]
    # What cannot be traced to files is never cached.
    untraced = WorldFactory(generate=lambda seed, size: {}, load=lambda document, sandbox: None)
    assert cached(untraced) is untraced


WORLD_PROBE = """
import sys
import pytest, mockserver.pytest_plugin as plugin
from conformance.client import LiveSandbox
server = plugin.start_in_process()
sandbox = LiveSandbox.create(server.control, id="probe", seed=4, size=3)
print("faker" in sys.modules, sandbox.trimble.direct.api_key)
server.close()
"""


def test_the_plugins_server_generates_a_world_once_then_reads_it_from_the_cache(tmp_path):
    first, again = run_python(WORLD_PROBE, tmp_path), run_python(WORLD_PROBE, tmp_path)
    assert first[0] == "True" and again[0] == "False", "Faker is imported only to generate"
    assert first[1] == again[1], "the same world"
    assert len(list(tmp_path.glob("world-*.pickle"))) == 6  # the default sandbox's three worlds, and the test's


def test_a_server_spaces_its_full_collections_and_keeps_the_young_ones():
    from mockserver import cli

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        cli.space_full_collections()
        assert gc.get_threshold() == (700, 10, cli.FULL_COLLECTION_AFTER)
        assert cli.FULL_COLLECTION_AFTER > 10  # rarer than Python's default, or the setting does nothing
    finally:
        gc.set_threshold(*before)


def test_every_way_of_serving_spaces_full_collections():
    # `serve` in one process and each `--workers` process: both call the one setting.
    from mockserver import cli, workers

    assert "space_full_collections()" in Path(cli.__file__).read_text().split("def _serve", 1)[1]
    assert "space_full_collections()" in Path(workers.__file__).read_text().split("def worker_app", 1)[1]
