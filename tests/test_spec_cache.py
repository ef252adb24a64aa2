"""The on-disk cache of parsed specs: read back when the bytes are the same, never when they changed."""

from __future__ import annotations

import pickle

import yaml

from conformance import spec_cache
from conformance.contract import load_spec, spec_path

SPEC = "openapi: 3.0.3\ninfo: {title: cached, version: '1'}\npaths: {}\n"


def test_a_spec_parsed_once_is_read_back_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(spec_cache.CACHE_VARIABLE, str(tmp_path / "cache"))
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    _, first = spec_cache.parsed(spec)
    [entry] = (tmp_path / "cache").glob("spec-*.pickle")
    # An entry that says something else proves the second read comes from the cache, not from the YAML.
    entry.write_bytes(pickle.dumps({"from": "the cache"}))
    assert first == yaml.safe_load(SPEC)
    assert spec_cache.parsed(spec)[1] == {"from": "the cache"}


def test_a_changed_spec_is_parsed_afresh(tmp_path, monkeypatch):
    monkeypatch.setenv(spec_cache.CACHE_VARIABLE, str(tmp_path / "cache"))
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    spec_cache.parsed(spec)
    spec.write_text(SPEC.replace("cached", "edited"))
    data, parsed = spec_cache.parsed(spec)
    assert parsed["info"]["title"] == "edited"
    assert pickle.loads(data) == parsed
    assert len(list((tmp_path / "cache").glob("spec-*.pickle"))) == 2


def test_an_unreadable_entry_is_parsed_again_and_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv(spec_cache.CACHE_VARIABLE, str(tmp_path / "cache"))
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    spec_cache.parsed(spec)
    [entry] = (tmp_path / "cache").glob("spec-*.pickle")
    entry.write_bytes(b"half an entr")
    assert spec_cache.parsed(spec)[1] == yaml.safe_load(SPEC)
    assert pickle.loads(entry.read_bytes()) == yaml.safe_load(SPEC)


def test_without_a_writable_cache_specs_are_parsed_every_time(tmp_path, monkeypatch):
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("")
    monkeypatch.setenv(spec_cache.CACHE_VARIABLE, str(blocker / "cache"))
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    assert spec_cache.parsed(spec)[1] == yaml.safe_load(SPEC)


def test_the_cache_dir_follows_xdg_then_home(tmp_path, monkeypatch):
    monkeypatch.delenv(spec_cache.CACHE_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert spec_cache.cache_dir() == tmp_path / "xdg" / "fleetbox"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert spec_cache.cache_dir() == tmp_path / ".cache" / "fleetbox"


def test_load_spec_gives_fresh_copies_equal_to_the_yaml():
    first = load_spec("trimble.yaml")
    first["info"]["title"] = "changed by a caller"
    assert load_spec("trimble.yaml") == yaml.safe_load(spec_path("trimble.yaml").read_text())
