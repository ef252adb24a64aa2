"""The hourfleet self-tests' data: bugs planted in the running sandbox, and the rules that must name them.
Handlers are resolved at start-up, so bugs patch the names handlers look up when they run."""

from __future__ import annotations

import json
import re

import flask

from mockserver.hourfleet import bookings as booking_rules
from mockserver.hourfleet import handlers, search, subscriptions, views, world
from mockserver.hourfleet.handlers import cars
from mockserver.http import errors, formats, query_input

from ..support import HOURFLEET_BASE
from .selftest import OffContract, PlantedBug, SelfTest


def _created_answers_200(monkeypatch):
    monkeypatch.setattr(cars, "created", lambda body, path: handlers.answer(body, 200, {"Location": path}))


def _created_without_location(monkeypatch):
    monkeypatch.setattr(cars, "created", lambda body, path: handlers.answer(body, 201))


def _patch_answers_200(monkeypatch):
    real = handlers.answer
    monkeypatch.setattr(
        cars, "answer", lambda body, status=200, headers=None: real(body, 200 if status == 202 else status, headers)
    )


def _if_none_match_ignored(monkeypatch):
    monkeypatch.setattr(handlers, "_matches", lambda if_none_match, etag: False)


def _patch_every_search(monkeypatch, patched):
    """Each module that runs searches looks `search` up by its own name: patch it in every one."""
    for module in (world, booking_rules, subscriptions):
        monkeypatch.setattr(module, "search", patched)


def _wrong_total(monkeypatch):
    real = search.search

    def search_with_page_total(rows, rules, query):
        page, metadata = real(rows, rules, query)
        return page, {**metadata, "Total": len(page)}

    _patch_every_search(monkeypatch, search_with_page_total)


def _descending_sort_ignored(monkeypatch):
    real = search.ordered
    monkeypatch.setattr(search, "ordered", lambda rows, field, descending: real(rows, field, False))


def _filter_drops_id(monkeypatch):
    real = search.search

    def search_without_ids(rows, rules, query):
        page, metadata = real(rows, rules, query)
        return ([{k: v for k, v in row.items() if k != "Id"} for row in page] if query.filter else page), metadata

    _patch_every_search(monkeypatch, search_without_ids)


def _camel_case_output(monkeypatch):
    real = views.car_view
    monkeypatch.setattr(
        views, "car_view", lambda car, *embeds: {k[0].lower() + k[1:]: v for k, v in real(car, *embeds).items()}
    )


def _xml_answered_with_json(monkeypatch):
    monkeypatch.setattr(formats, "negotiate", lambda format_name, accept, offered: "json")


def _writes_keep_etags(monkeypatch):
    monkeypatch.setattr(world.HourfleetWorld, "_bump", lambda self, *keys: None)


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
        key = (caller.principal, flask.request.full_path, formats.chosen())
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


def _owner_sees_only_own_bookings(monkeypatch):
    monkeypatch.setattr(booking_rules, "visible", lambda caller, car, booking: caller.user_id == booking.borrower_id)


def _query_input_ignored(monkeypatch):
    monkeypatch.setattr(query_input, "body_properties", lambda pairs, names, operation: [])


def _json_body_wins_over_the_query(monkeypatch):
    real = query_input._into_json

    def body_first(properties, raw, fold, operation):
        named = {fold(key) for key in json.loads(raw)} if raw.lstrip().startswith(b"{") else set()
        return real([(k, v) for k, v in properties if fold(k) not in named], raw, fold, operation)

    monkeypatch.setattr(query_input, "_into_json", body_first)


def _query_values_left_strings(monkeypatch):
    monkeypatch.setattr(query_input, "_converted", lambda text, schema: text)


def _roles_as_a_string(monkeypatch):
    real = views.user_view
    monkeypatch.setattr(views, "user_view", lambda user, *embedded: {**real(user, *embedded), "Roles": "user"})


def _bookings_embed_nothing(monkeypatch):
    real = views.booking_view
    monkeypatch.setattr(views, "booking_view", lambda booking, *embedded: real(booking))


def _booking_searches_embed_everything(monkeypatch):
    # Bookings (their searches and reads) look `embeds_of` up in the booking rules.
    real = booking_rules.embeds_of
    monkeypatch.setattr(
        booking_rules,
        "embeds_of",
        lambda text, resource, children, single: real(text, resource, children, single or resource == "CarBooking"),
    )


def _accounts_embed_nothing(monkeypatch):
    real = views.user_view
    monkeypatch.setattr(views, "user_view", lambda user, *embedded: real(user))


def _account_searches_ignore_embed(monkeypatch):
    real = world.embeds_of

    def embeds_of(text, resource, children, single):
        chosen = real(text, resource, children, single)
        return chosen if single or resource != "UserAccount" else frozenset()

    monkeypatch.setattr(world, "embeds_of", embeds_of)


def _etags_ignore_embedded_resources(monkeypatch):
    real = world.HourfleetWorld.version_of
    # Only a GET's own resource counts (its first key), as if nothing were embedded.
    monkeypatch.setattr(world.HourfleetWorld, "version_of", lambda self, *keys: real(self, keys[0]))


SELFTEST = SelfTest(
    profile="hourfleet",
    base=HOURFLEET_BASE,
    listed=("HOURFLEET-CONTRACT-createCar", "HOURFLEET-STATEFUL-01"),
    in_html="HOURFLEET-CACHE-02",
    planted=(
        PlantedBug(
            "200 instead of 201 on create", "HOURFLEET-STATUS-01", ("HOURFLEET-STATUS-*",), _created_answers_200
        ),
        PlantedBug("no Location on create", "HOURFLEET-STATUS-02", ("HOURFLEET-STATUS-*",), _created_without_location),
        PlantedBug("200 instead of 202 on PATCH", "HOURFLEET-STATUS-03", ("HOURFLEET-STATUS-*",), _patch_answers_200),
        PlantedBug("If-None-Match ignored", "HOURFLEET-CACHE-02", ("HOURFLEET-CACHE-*",), _if_none_match_ignored),
        PlantedBug("Metadata.Total counting the page", "HOURFLEET-SEARCH-06", ("HOURFLEET-SEARCH-*",), _wrong_total),
        PlantedBug(
            "a descending sort ignored", "HOURFLEET-SEARCH-02", ("HOURFLEET-SEARCH-*",), _descending_sort_ignored
        ),
        PlantedBug("filter dropping Id", "HOURFLEET-SEARCH-04", ("HOURFLEET-SEARCH-*",), _filter_drops_id),
        PlantedBug("camelCase output", "HOURFLEET-ENV-05", ("HOURFLEET-ENV-*",), _camel_case_output),
        PlantedBug(
            "format=xml answered with JSON", "HOURFLEET-FORMAT-02", ("HOURFLEET-FORMAT-*",), _xml_answered_with_json
        ),
        PlantedBug(
            "writes leaving ETags as they were", "HOURFLEET-CACHE-03", ("HOURFLEET-CACHE-*",), _writes_keep_etags
        ),
        PlantedBug(
            "one max-age for every API", "HOURFLEET-CACHE-05", ("HOURFLEET-CACHE-*",), _one_max_age_for_every_api
        ),
        PlantedBug(
            "per-caller answers not private",
            "HOURFLEET-CACHE-06",
            ("HOURFLEET-CACHE-*",),
            _per_caller_answers_not_private,
        ),
        PlantedBug(
            "a 304 without the caching headers",
            "HOURFLEET-CACHE-07",
            ("HOURFLEET-CACHE-*",),
            _not_modified_without_caching_headers,
        ),
        PlantedBug(
            "a server cache a write does not clear", "HOURFLEET-CACHE-08", ("HOURFLEET-CACHE-*",), _stale_server_cache
        ),
        PlantedBug("errors marked cacheable", "HOURFLEET-CACHE-09", ("HOURFLEET-CACHE-*",), _errors_cacheable),
        PlantedBug(
            "the owner seeing only their own bookings",
            "HOURFLEET-BOOK-06",
            ("HOURFLEET-BOOK-*",),
            _owner_sees_only_own_bookings,
        ),
        PlantedBug("the query string ignored", "HOURFLEET-INPUT-06", ("HOURFLEET-INPUT-*",), _query_input_ignored),
        PlantedBug(
            "a JSON body winning over the query",
            "HOURFLEET-INPUT-07",
            ("HOURFLEET-INPUT-*",),
            _json_body_wins_over_the_query,
        ),
        PlantedBug(
            "query values left strings", "HOURFLEET-INPUT-08", ("HOURFLEET-INPUT-*",), _query_values_left_strings
        ),
        PlantedBug("bookings embedding nothing", "HOURFLEET-EMBED-06", ("HOURFLEET-EMBED-*",), _bookings_embed_nothing),
        PlantedBug(
            "booking searches embedding everything by default",
            "HOURFLEET-EMBED-07",
            ("HOURFLEET-EMBED-*",),
            _booking_searches_embed_everything,
        ),
        PlantedBug("accounts embedding nothing", "HOURFLEET-EMBED-08", ("HOURFLEET-EMBED-*",), _accounts_embed_nothing),
        PlantedBug(
            "account searches ignoring embed",
            "HOURFLEET-EMBED-09",
            ("HOURFLEET-EMBED-*",),
            _account_searches_ignore_embed,
        ),
        PlantedBug(
            "ETags ignoring embedded resources",
            "HOURFLEET-EMBED-10",
            ("HOURFLEET-EMBED-*",),
            _etags_ignore_embedded_resources,
        ),
    ),
    off_contract=OffContract("HOURFLEET-CONTRACT-searchUserAccounts", _roles_as_a_string),
)
