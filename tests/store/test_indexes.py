"""The worlds' listing indexes replicate: a process replaying the writes, and a copy restored from a snapshot,
list exactly what the process that wrote lists (and what sorting every record gives)."""

from __future__ import annotations

from mockserver.app import create_app
from mockserver.engine.registry import SandboxRegistry
from mockserver.hourfleet.records import OPS, USER, Caller
from mockserver.hourfleet.search import SearchQuery
from mockserver.http.context import REGISTRY_KEY
from mockserver.settings import Settings
from mockserver.trimble import PROFILE as TRIMBLE
from mockserver.trimble.records import VEHICLES
from mockserver.trimble.records import Caller as TrimbleCaller

PAGES = [
    (sort, direction, offset)
    for sort in ("vehicleName", "vehicleId")
    for direction in ("ASC", "DESC")
    for offset in (0, 20)
]
SEARCHES = [
    SearchQuery(sort=s, limit=10, offset=o) for s in ("Make", "-Make", "-CreatedDateUtc", "Suburb") for o in (0, 7)
]


def _lists(sandbox, trimble_caller, car_caller):
    trimble, hourfleet = sandbox.world("trimble"), sandbox.world("hourfleet")
    pages = [trimble.list_members(trimble_caller, VEHICLES, o, 20, s, d) for s, d, o in PAGES]
    searches = [hourfleet.search_cars(query, None) for query in SEARCHES]
    return pages, searches


def _write(sandbox, trimble_caller, car_caller):
    trimble, hourfleet = sandbox.world("trimble"), sandbox.world("hourfleet")
    trimble.create_members(
        trimble_caller, VEHICLES, [{"vehicleId": f"rep-{n}", "Name": f"aa rep {n}"} for n in range(5)]
    )
    trimble.rename_members(trimble_caller, VEHICLES, [{"vehicleId": "rep-1", "Name": "zz renamed"}])
    trimble.delete_member(trimble_caller, VEHICLES, "rep-2")
    car = hourfleet.create_car(car_caller, {"Make": "AAA", "Model": "X", "Year": 2020, "LicensePlate": "REP-1"})
    hourfleet.update_car(car_caller, car["Car"]["Id"], {"Color": "Aqua"})
    hourfleet.create_car(car_caller, {"Make": "zzz", "Model": "Y", "Year": 2021, "LicensePlate": "REP-2"})


def _callers(sandbox):
    trimble = sandbox.world("trimble")
    direct = next(a for a in trimble.accounts.values() if a.type == "direct")
    operator = next(u for u in sandbox.world("hourfleet").users.values() if u.role == OPS)
    return TrimbleCaller(direct.id, direct.id, False), Caller("test", frozenset({USER, OPS}), operator.id)


def test_a_replaying_process_lists_what_the_writing_process_lists(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    first = create_app(Settings(store=url)).app.extensions[REGISTRY_KEY]
    second = create_app(Settings(store=url)).app.extensions[REGISTRY_KEY]
    mine, theirs = first.get("default"), second.get("default")
    callers = _callers(mine)
    before = _lists(theirs, *callers)  # the second process builds its indexes before the writes
    assert _lists(mine, *callers) == before
    _write(mine, *callers)
    theirs.sync()
    after = _lists(mine, *callers)
    assert after != before
    assert _lists(theirs, *callers) == after
    # A third process loads the sandbox from the store (snapshot, then the writes replayed).
    third = create_app(Settings(store=url)).app.extensions[REGISTRY_KEY]
    assert _lists(third.get("default"), *callers) == after


def test_a_restored_snapshot_lists_what_the_original_lists_and_keeps_its_indexes_in_step():
    registry = SandboxRegistry({"trimble": TRIMBLE.worlds})
    sandbox = registry.create("snap", seed=3, size=40)
    world = sandbox.world("trimble")
    direct = next(a for a in world.accounts.values() if a.type == "direct")
    caller = TrimbleCaller(direct.id, direct.id, False)
    listed = world.list_members(caller, VEHICLES, 0, 100, "vehicleName", "ASC")[0]
    sandbox.restore(sandbox.snapshot())
    restored = sandbox.world("trimble")
    assert restored is not world
    assert restored.list_members(caller, VEHICLES, 0, 100, "vehicleName", "ASC")[0] == listed
    restored.create_members(caller, VEHICLES, [{"vehicleId": "after", "Name": "0 first of all"}])
    restored.rename_members(caller, VEHICLES, [{"vehicleId": listed[5]["vehicleId"], "Name": "~ last of all"}])
    names = [m["name"] for m in restored.list_members(caller, VEHICLES, 0, 100, "vehicleName", "ASC")[0]]
    assert names[0] == "0 first of all" and names[-1] == "~ last of all"
    assert names == sorted(names, key=str.casefold)
