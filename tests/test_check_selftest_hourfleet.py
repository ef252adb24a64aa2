"""`fleetbox check hourfleet` judges: it passes against the sandbox, and against sandboxes with planted
bugs it fails, naming the broken rule. Each planted bug is a monkeypatch of the server running in this
process; handlers are resolved at start-up, so bugs patch the names handlers look up when they run."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import pytest

from mockserver.hourfleet import bookings as booking_rules
from mockserver.hourfleet import handlers, search, views, world
from mockserver.hourfleet.handlers import cars
from mockserver.http import formats

from .support import HOURFLEET_BASE, failed_rules, run_check

pytestmark = pytest.mark.slow

def check(base_url: str, *options: str):
    return run_check(base_url, *options, profile="hourfleet")


def test_the_suite_passes_against_the_sandbox(server, tmp_path):
    run = check(server.url + HOURFLEET_BASE, "--seed", "1", "--junit-xml", str(tmp_path / "check.xml"), "--html", str(tmp_path / "check.html"))
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]
    assert re.search(r"\d+ rules: \d+ passed, 0 failed", run.stdout) and "not checked" not in run.stdout
    assert "HOURFLEET-CONTRACT-createCar" in run.stdout and "HOURFLEET-STATEFUL-01" in run.stdout
    assert (tmp_path / "check.xml").read_text().count("<testcase") == run.stdout.count("\n  ok ")
    assert "HOURFLEET-CACHE-02" in (tmp_path / "check.html").read_text()


# --- planted bugs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlantedBug:
    """A bug planted in the running sandbox, the rule that must name it, and the rules to run."""

    description: str
    rule: str
    plant: Callable[[pytest.MonkeyPatch], None]
    only: str


def _created_answers_200(monkeypatch):
    monkeypatch.setattr(cars, "created", lambda body, path: handlers.answer(body, 200, {"Location": path}))


def _created_without_location(monkeypatch):
    monkeypatch.setattr(cars, "created", lambda body, path: handlers.answer(body, 201))


def _patch_answers_200(monkeypatch):
    real = handlers.answer
    monkeypatch.setattr(cars, "answer", lambda body, status=200, headers=None: real(body, 200 if status == 202 else status, headers))


def _if_none_match_ignored(monkeypatch):
    monkeypatch.setattr(handlers, "_matches", lambda if_none_match, etag: False)


def _wrong_total(monkeypatch):
    real = world.search

    def search_with_page_total(rows, rules, query):
        page, metadata = real(rows, rules, query)
        return page, {**metadata, "Total": len(page)}

    monkeypatch.setattr(world, "search", search_with_page_total)


def _descending_sort_ignored(monkeypatch):
    real = search.ordered
    monkeypatch.setattr(search, "ordered", lambda rows, field, descending: real(rows, field, False))


def _filter_drops_id(monkeypatch):
    real = world.search

    def search_without_ids(rows, rules, query):
        page, metadata = real(rows, rules, query)
        return ([{k: v for k, v in row.items() if k != "Id"} for row in page] if query.filter else page), metadata

    monkeypatch.setattr(world, "search", search_without_ids)


def _camel_case_output(monkeypatch):
    real = views.car_view
    monkeypatch.setattr(views, "car_view", lambda car, *embeds: {k[0].lower() + k[1:]: v for k, v in real(car, *embeds).items()})


def _xml_answered_with_json(monkeypatch):
    monkeypatch.setattr(formats, "negotiate", lambda format_name, accept, offered: "json")


def _writes_keep_etags(monkeypatch):
    monkeypatch.setattr(world.HourfleetWorld, "_bump", lambda self, *keys: None)


def _owner_sees_only_own_bookings(monkeypatch):
    monkeypatch.setattr(booking_rules, "visible", lambda caller, car, booking: caller.user_id == booking.borrower_id)


PLANTED = [
    PlantedBug("200 instead of 201 on create", "HOURFLEET-STATUS-01", _created_answers_200, "HOURFLEET-STATUS-*"),
    PlantedBug("no Location on create", "HOURFLEET-STATUS-02", _created_without_location, "HOURFLEET-STATUS-*"),
    PlantedBug("200 instead of 202 on PATCH", "HOURFLEET-STATUS-03", _patch_answers_200, "HOURFLEET-STATUS-*"),
    PlantedBug("If-None-Match ignored", "HOURFLEET-CACHE-02", _if_none_match_ignored, "HOURFLEET-CACHE-*"),
    PlantedBug("Metadata.Total counting the page", "HOURFLEET-SEARCH-06", _wrong_total, "HOURFLEET-SEARCH-*"),
    PlantedBug("a descending sort ignored", "HOURFLEET-SEARCH-02", _descending_sort_ignored, "HOURFLEET-SEARCH-*"),
    PlantedBug("filter dropping Id", "HOURFLEET-SEARCH-04", _filter_drops_id, "HOURFLEET-SEARCH-*"),
    PlantedBug("camelCase output", "HOURFLEET-ENV-05", _camel_case_output, "HOURFLEET-ENV-*"),
    PlantedBug("format=xml answered with JSON", "HOURFLEET-FORMAT-02", _xml_answered_with_json, "HOURFLEET-FORMAT-*"),
    PlantedBug("writes leaving ETags as they were", "HOURFLEET-CACHE-03", _writes_keep_etags, "HOURFLEET-CACHE-*"),
    PlantedBug("the owner seeing only their own bookings", "HOURFLEET-BOOK-06", _owner_sees_only_own_bookings, "HOURFLEET-BOOK-*"),
]


@pytest.mark.parametrize("bug", PLANTED, ids=[bug.description for bug in PLANTED])
def test_a_planted_bug_is_named_by_its_rule(server, monkeypatch, bug):
    bug.plant(monkeypatch)
    run = check(server.url + HOURFLEET_BASE, "--only", bug.only)
    assert run.returncode == 1, f"{bug.description} went unnoticed:\n{run.stdout[-3000:]}{run.stderr[-2000:]}"
    assert bug.rule in failed_rules(run), f"{bug.description}: failed rules were {sorted(failed_rules(run))}"
    assert f"{bug.rule}: " in run.stdout.split("failures")[-1], "the failure is explained in the summary"


def test_a_response_off_the_contract_is_named_by_schemathesis(server, monkeypatch):
    real = views.user_view
    monkeypatch.setattr(views, "user_view", lambda user: {**real(user), "Roles": "user"})
    run = check(server.url + HOURFLEET_BASE, "--only", "HOURFLEET-CONTRACT-searchUserAccounts", "--max-examples", "5", "--seed", "1")
    assert run.returncode == 1
    assert failed_rules(run) == {"HOURFLEET-CONTRACT-searchUserAccounts"}
