"""Hourfleet bugs planted in caching (ETags, If-None-Match, Cache-Control) and in the booking lifecycle."""

from __future__ import annotations

import re
from dataclasses import replace

from mockserver.engine.errors import Conflict
from mockserver.hourfleet import bookings as booking_rules
from mockserver.hourfleet import handlers, world
from mockserver.hourfleet.handlers import cars
from mockserver.hourfleet.records import APPROVED, COMPLETED, IN_USE
from mockserver.http import errors, formats
from mockserver.http.request import current

from .planted_hourfleet_kit import answer_errors_with, bug

World = world.HourfleetWorld


def _searches_without_etags(monkeypatch):
    real = handlers.caching_headers

    def caching_headers(etag):
        headers = real(etag)
        return {k: v for k, v in headers.items() if k != "ETag"} if "search" in current().operation_id else headers

    monkeypatch.setattr(handlers, "caching_headers", caching_headers)


def _if_none_match_ignored(monkeypatch):
    monkeypatch.setattr(handlers, "_matches", lambda if_none_match, etag: False)


def _writes_keep_etags(monkeypatch):
    monkeypatch.setattr(World, "_bump", lambda self, *keys: None)


def _booking_writes_bump_only_the_booking(monkeypatch):
    real = World._bump

    def bump(self, *keys):
        booking = [key for key in keys if key.startswith("booking:")]
        real(self, *(booking or keys))

    monkeypatch.setattr(World, "_bump", bump)


def _one_max_age_for_every_api(monkeypatch):
    every = {op: re.sub(r"max-age=\d+", "max-age=600", control) for op, control in handlers.CACHE_CONTROLS.items()}
    monkeypatch.setattr(handlers, "CACHE_CONTROLS", every)


def _per_caller_answers_not_private(monkeypatch):
    shared = {op: control.replace(", private", "") for op, control in handlers.CACHE_CONTROLS.items()}
    monkeypatch.setattr(handlers, "CACHE_CONTROLS", shared)


def _not_modified_without_caching_headers(monkeypatch):
    real = handlers.cached

    def cached(world, caller, keys, build):
        body, status, headers = real(world, caller, keys, build)
        return (body, status, {"ETag": headers["ETag"]}) if status == 304 else (body, status, headers)

    monkeypatch.setattr(cars, "cached", cached)


def _stale_server_cache(monkeypatch):
    """A server-side cache of car answers that a write does not clear, kept for the max-age."""
    real, kept = handlers.cached, {}

    def cached(world, caller, keys, build):
        key = (caller.principal, current().full_path, formats.chosen())
        if key not in kept:
            kept[key] = real(world, caller, keys, build)
        return kept[key]

    monkeypatch.setattr(cars, "cached", cached)


def _errors_cacheable(monkeypatch):
    real = errors.ErrorDispatcher.render

    def render(self, request, error):
        response = real(self, request, error)
        response.headers["Cache-Control"] = "max-age=60"
        return response

    monkeypatch.setattr(errors.ErrorDispatcher, "render", render)


def _action_changed(monkeypatch, name: str, **changes):
    monkeypatch.setitem(booking_rules.ACTIONS, name, replace(booking_rules.ACTIONS[name], **changes))


def _bookings_start_approved(monkeypatch):
    monkeypatch.setattr(booking_rules, "PENDING", APPROVED)


def _approval_undated(monkeypatch):
    _action_changed(monkeypatch, "approve", date=None)


def _return_completes(monkeypatch):
    _action_changed(monkeypatch, "return", target=COMPLETED)


def _extend_only_in_use(monkeypatch):
    _action_changed(monkeypatch, "extend", sources=(IN_USE,))


def _cancelled_spelt_canceled(monkeypatch):
    _action_changed(monkeypatch, "cancel", target="Canceled")


def _owner_sees_only_own_bookings(monkeypatch):
    monkeypatch.setattr(booking_rules, "visible", lambda caller, car, booking: caller.user_id == booking.borrower_id)


def _states_filter_ignored(monkeypatch):
    real = World.search_bookings
    monkeypatch.setattr(
        World, "search_bookings", lambda self, caller, car_id, states, *rest: real(self, caller, car_id, None, *rest)
    )


def _borrower_may_approve(monkeypatch):
    _action_changed(monkeypatch, "approve", actors=(booking_rules.OWNER, booking_rules.BORROWER))


def _wrong_state_answered_400(monkeypatch):
    answer_errors_with(monkeypatch, Conflict, 400, "Conflict")


PLANTED = (
    bug("HOURFLEET-CACHE-01", "searches answered without an ETag", _searches_without_etags),
    bug("HOURFLEET-CACHE-02", "If-None-Match ignored", _if_none_match_ignored),
    bug("HOURFLEET-CACHE-03", "writes leaving ETags as they were", _writes_keep_etags),
    bug(
        "HOURFLEET-CACHE-04", "a booking write changing only the booking's ETag", _booking_writes_bump_only_the_booking
    ),
    bug("HOURFLEET-CACHE-05", "one max-age for every API", _one_max_age_for_every_api),
    bug("HOURFLEET-CACHE-06", "per-caller answers not private", _per_caller_answers_not_private),
    bug("HOURFLEET-CACHE-07", "a 304 without the caching headers", _not_modified_without_caching_headers),
    bug("HOURFLEET-CACHE-08", "a server cache a write does not clear", _stale_server_cache),
    bug("HOURFLEET-CACHE-09", "errors marked cacheable", _errors_cacheable),
    bug("HOURFLEET-BOOK-01", "new bookings approved at once", _bookings_start_approved),
    bug("HOURFLEET-BOOK-02", "an approval without ApprovedDateUtc", _approval_undated),
    bug("HOURFLEET-BOOK-03", "return completing the booking at once", _return_completes),
    bug("HOURFLEET-BOOK-04", "extend allowed only while InUse", _extend_only_in_use),
    bug("HOURFLEET-BOOK-05", "Cancelled spelt Canceled", _cancelled_spelt_canceled),
    bug("HOURFLEET-BOOK-06", "the owner seeing only their own bookings", _owner_sees_only_own_bookings),
    bug("HOURFLEET-BOOK-07", "the states filter ignored", _states_filter_ignored),
    bug("HOURFLEET-BOOK-08", "a borrower allowed to approve", _borrower_may_approve),
    bug("HOURFLEET-BOOK-09", "an action in the wrong state answered 400", _wrong_state_answered_400),
)
