"""What start-up leaves out stays out, and what it does instead gives the same results (timings: bench/startup.py)."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import threading
from pathlib import Path

from starlette.testclient import TestClient

from conformance.contract import load_spec
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
