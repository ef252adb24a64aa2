"""The contract layer's Schemathesis process keeps the invalid enum values Schemathesis draws between runs
(conformance/schemathesis_process.py): the same values, read back as they were, and drawn once; and it
keeps the garbage collector off the modules it imported."""

from __future__ import annotations

import gc
import importlib
import json
import sys

from conformance import schemathesis_process
from conformance.schemathesis_processes import RUN_SCHEMATHESIS


def test_the_schemathesis_process_prepares_itself_first():
    assert "conformance.schemathesis_process.prepare()" in RUN_SCHEMATHESIS.split("from schemathesis.cli")[0]


def test_the_heap_is_settled_once_schemathesis_is_imported_and_before_it_runs():
    after_import = RUN_SCHEMATHESIS.split("from schemathesis.cli import schemathesis")[1]
    assert "conformance.schemathesis_process.settle_heap()" in after_import.split("run_each(")[0]


def test_settling_the_heap_freezes_what_exists_and_collects_the_young_generation_less_often():
    threshold = gc.get_threshold()
    try:
        schemathesis_process.settle_heap()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (schemathesis_process.YOUNG_GENERATION_THRESHOLD, *threshold[1:])
        assert gc.isenabled(), "the run makes cyclic garbage: collection stays on"
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_the_invalid_enum_values_are_kept_between_runs_and_read_back_as_they_were(tmp_path, monkeypatch):
    from schemathesis.specs.openapi.coverage import _schema

    drawn = ("AAA", -773, 0.5, False, None, "\ud800", 7513596962)
    calls = []
    monkeypatch.setattr(_schema, "_invalid_enum_candidates", lambda: calls.append(1) or drawn)
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(tmp_path))
    schemathesis_process.prepare()
    assert _schema._invalid_enum_candidates() == drawn and calls == [1]
    monkeypatch.setattr(_schema, "_invalid_enum_candidates", lambda: calls.append(1) or ())
    schemathesis_process.prepare()
    read = _schema._invalid_enum_candidates()
    assert read == drawn and [type(value) for value in read] == [type(value) for value in drawn]
    assert calls == [1], "the second process reads them, it does not draw them again"


def test_a_cache_it_cannot_read_is_drawn_again(tmp_path, monkeypatch):
    from schemathesis.specs.openapi.coverage import _schema

    monkeypatch.setattr(_schema, "_invalid_enum_candidates", _schema._invalid_enum_candidates)  # restored after
    schemathesis_process.remember_invalid_enum_candidates(tmp_path)  # whatever this version draws, kept
    for kept in tmp_path.glob("invalid-enum-candidates-*.json"):
        kept.write_text("{not json")
    monkeypatch.setattr(_schema, "_invalid_enum_candidates", lambda: ("drawn",))
    schemathesis_process.remember_invalid_enum_candidates(tmp_path)
    assert _schema._invalid_enum_candidates() == ("drawn",)


def test_requests_reads_the_environment_once_per_origin():
    read: list[tuple[str, object]] = []

    def proxies(url, no_proxy=None):
        read.append((url, no_proxy))
        return {"http": "http://proxy.example:3128"}

    per_origin = schemathesis_process.once_per_origin(proxies)
    first = per_origin("http://127.0.0.1:8080/cars?limit=1", no_proxy=None)
    first["https"] = "changed by its caller"
    assert per_origin("http://127.0.0.1:8080/cars/7", no_proxy=None) == {"http": "http://proxy.example:3128"}
    per_origin("https://127.0.0.1:8080/cars", no_proxy=None)
    per_origin("http://127.0.0.1:8080/cars", no_proxy="127.0.0.1")
    assert read == [
        ("http://127.0.0.1:8080/", None),
        ("https://127.0.0.1:8080/", None),
        ("http://127.0.0.1:8080/", "127.0.0.1"),
    ]


def test_the_process_has_requests_read_proxies_and_netrc_once_per_origin(monkeypatch):
    import requests.sessions

    counted = {"proxies": 0, "netrc": 0}

    def proxies(url, no_proxy=None):
        counted["proxies"] += 1
        return {}

    def netrc(url, raise_errors=False):
        counted["netrc"] += 1

    monkeypatch.setattr(requests.sessions, "get_environ_proxies", proxies)
    monkeypatch.setattr(requests.sessions, "get_netrc_auth", netrc)
    schemathesis_process.read_environment_once_per_origin()
    for path in ("/cars", "/cars/7", "/bookings"):
        requests.sessions.get_environ_proxies(f"http://127.0.0.1:8080{path}", no_proxy=None)
        requests.sessions.get_netrc_auth(f"http://127.0.0.1:8080{path}")
    assert counted == {"proxies": 1, "netrc": 1}


def test_what_a_run_imported_after_the_fork_is_imported_before_the_next_one(tmp_path, monkeypatch):
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(tmp_path / "storage"))
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("fleetbox_lazy_one", "fleetbox_lazy_two"):
        (tmp_path / f"{name}.py").write_text("LOADED = True\n")
        monkeypatch.delitem(sys.modules, name, raising=False)
    before = set(sys.modules)
    importlib.import_module("fleetbox_lazy_one")
    schemathesis_process._note_imported_since(before)
    before = set(sys.modules)
    importlib.import_module("fleetbox_lazy_two")
    schemathesis_process._note_imported_since(before)  # a later child adds to what earlier ones noted
    kept = schemathesis_process._imported_later()
    names = json.loads(kept.read_text())
    assert names[-2:] == ["fleetbox_lazy_one", "fleetbox_lazy_two"]

    kept.write_text(json.dumps([*names, "fleetbox_not_there", "os; import this", 7]))
    for name in ("fleetbox_lazy_one", "fleetbox_lazy_two"):
        del sys.modules[name]
    schemathesis_process.import_what_runs_imported()
    assert sys.modules["fleetbox_lazy_one"].LOADED and sys.modules["fleetbox_lazy_two"].LOADED
    assert "fleetbox_not_there" not in sys.modules


def test_the_modules_runs_import_are_imported_once_schemathesis_is_and_before_the_heap_settles():
    after_import = RUN_SCHEMATHESIS.split("from schemathesis.cli import schemathesis")[1]
    assert "import_what_runs_imported()" in after_import.split("settle_heap()")[0]
