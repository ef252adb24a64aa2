"""Hourfleet bugs planted in searches (sort, filter, paging, distinct, date ranges) and in embedding."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from mockserver.hourfleet import bookings as booking_rules
from mockserver.hourfleet import search, views, world
from mockserver.hourfleet.handlers import bookings as booking_handlers

from .planted_hourfleet_kit import bug, patch_every_search, unindexed_searches


def _directions_abbreviated(monkeypatch):
    real = search.search

    def search_abbreviating(rows, rules, query):
        page, metadata = real(rows, rules, query)
        sort = metadata["Sort"]
        return page, {**metadata, "Sort": {**sort, "Direction": sort["Direction"][:4].rstrip("e")}}

    patch_every_search(monkeypatch, search_abbreviating)


def _descending_sort_ignored(monkeypatch):
    real = search.ordered
    monkeypatch.setattr(search, "ordered", lambda rows, field, descending: real(rows, field, False))
    unindexed_searches(monkeypatch)


def _plus_sign_not_understood(monkeypatch):
    real = search.parse_sort
    # As if `+` were the sign of the other direction.
    monkeypatch.setattr(
        search,
        "parse_sort",
        lambda text, rules: (real(text, rules)[0], True) if text.startswith("+") else real(text, rules),
    )


def _filter_drops_id(monkeypatch):
    real = search.search

    def search_without_ids(rows, rules, query):
        page, metadata = real(rows, rules, query)
        return ([{k: v for k, v in row.items() if k != "Id"} for row in page] if query.filter else page), metadata

    patch_every_search(monkeypatch, search_without_ids)


def _offset_counted_in_pages(monkeypatch):
    real = search.search

    def search_by_pages(rows, rules, query):
        page, metadata = real(rows, rules, replace(query, offset=query.offset * (query.limit or 1)))
        return page, {**metadata, "Offset": query.offset}

    patch_every_search(monkeypatch, search_by_pages)


def _wrong_total(monkeypatch):
    real = search.search

    def search_with_page_total(rows, rules, query):
        page, metadata = real(rows, rules, query)
        return page, {**metadata, "Total": len(page)}

    patch_every_search(monkeypatch, search_with_page_total)


def _distinct_ignored(monkeypatch):
    real = search.search

    def search_all_rows(rows, rules, query):
        page, metadata = real(rows, rules, replace(query, distinct=None))
        return page, {**metadata, "Distinct": query.distinct}

    patch_every_search(monkeypatch, search_all_rows)


def _default_range_a_year(monkeypatch):
    monkeypatch.setattr(booking_handlers, "DEFAULT_RANGE", timedelta(days=365))


def _cars_embedding(monkeypatch, chosen):
    """Cars (their searches and reads) embed what `chosen(text, single, real_choice)` says."""
    real = world.embeds_of

    def embeds_of(text, resource, children, single):
        if resource != "Car":
            return real(text, resource, children, single)
        return chosen((text or "").strip().lower(), single, lambda: real(text, resource, children, single))

    monkeypatch.setattr(world, "embeds_of", embeds_of)


def _single_car_embeds_nothing(monkeypatch):
    _cars_embedding(monkeypatch, lambda text, single, real: frozenset() if not text else real())


def _embed_none_ignored(monkeypatch):
    _cars_embedding(monkeypatch, lambda text, single, real: frozenset(views.CAR_EMBEDS) if text == "none" else real())


def _car_searches_embed_everything(monkeypatch):
    _cars_embedding(monkeypatch, lambda text, single, real: frozenset(views.CAR_EMBEDS) if not text else real())


def _star_not_understood(monkeypatch):
    _cars_embedding(monkeypatch, lambda text, single, real: frozenset() if text == "*" else real())


def _embed_list_read_as_all(monkeypatch):
    _cars_embedding(monkeypatch, lambda text, single, real: frozenset(views.CAR_EMBEDS) if "." in text else real())


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


PLANTED = (
    bug("HOURFLEET-SEARCH-01", "Metadata.Sort.Direction abbreviated (Desc)", _directions_abbreviated),
    bug("HOURFLEET-SEARCH-02", "a descending sort ignored", _descending_sort_ignored),
    bug("HOURFLEET-SEARCH-03", "sort=+Field read as descending", _plus_sign_not_understood),
    bug("HOURFLEET-SEARCH-04", "filter dropping Id", _filter_drops_id),
    bug("HOURFLEET-SEARCH-05", "offset counted in pages of limit results", _offset_counted_in_pages),
    bug("HOURFLEET-SEARCH-06", "Metadata.Total counting the page", _wrong_total),
    bug("HOURFLEET-SEARCH-07", "distinct ignored", _distinct_ignored),
    bug("HOURFLEET-SEARCH-08", "a booking search's default range of a year", _default_range_a_year),
    bug("HOURFLEET-EMBED-01", "a single car embedding nothing by default", _single_car_embeds_nothing),
    bug("HOURFLEET-EMBED-02", "embed=none ignored on a single car", _embed_none_ignored),
    bug("HOURFLEET-EMBED-03", "car searches embedding everything by default", _car_searches_embed_everything),
    bug("HOURFLEET-EMBED-04", "embed=* read as none", _star_not_understood),
    bug("HOURFLEET-EMBED-05", "embed=Car.Rating read as all", _embed_list_read_as_all),
    bug("HOURFLEET-EMBED-06", "bookings embedding nothing", _bookings_embed_nothing),
    bug(
        "HOURFLEET-EMBED-07",
        "booking searches embedding everything by default",
        _booking_searches_embed_everything,
    ),
    bug("HOURFLEET-EMBED-08", "accounts embedding nothing", _accounts_embed_nothing),
    bug("HOURFLEET-EMBED-09", "account searches ignoring embed", _account_searches_ignore_embed),
    bug("HOURFLEET-EMBED-10", "ETags ignoring embedded resources", _etags_ignore_embedded_resources),
)
