"""What the hourfleet planted bugs share: one bug per rule, and the few places a bug is planted from."""

from __future__ import annotations

from mockserver.hourfleet import bookings as booking_rules
from mockserver.hourfleet import errors as hourfleet_errors
from mockserver.hourfleet import search as search_rules
from mockserver.hourfleet import subscriptions, world
from mockserver.http.dispatch import Dispatch
from mockserver.http.rendering import Row

from .selftest import Plant, PlantedBug


def bug(rule: str, description: str, plant: Plant) -> PlantedBug:
    """A bug only `rule` runs against (a check of one rule is the cheapest that can name it)."""
    return PlantedBug(description, rule, (rule,), plant)


def patch_every_search(monkeypatch, patched) -> None:
    """Each module that runs searches looks `search` up by its own name: patch it in every one."""
    for module in (world, booking_rules, subscriptions):
        monkeypatch.setattr(module, "search", patched)
    unindexed_searches(monkeypatch, patched)


def unindexed_searches(monkeypatch, through=None) -> None:
    """Car searches read their page from an index (`search_ordered`); a bug planted in `search` or in the
    sorting it calls reaches them too when they go through `through` (by default `search.search` as it is
    when called) over every row, as they did before the index."""

    def search_ordered(order, all_rows, row_of, rules, query):
        return (through or search_rules.search)([row_of(row["Id"]) for row in all_rows()], rules, query)

    monkeypatch.setattr(world, "search_ordered", search_ordered)


def answer_errors_with(monkeypatch, kind, status: int, code: str) -> None:
    """Hourfleet renders errors of `kind` (a class, or a class and reason) with another status."""
    monkeypatch.setitem(hourfleet_errors.render_error.table, kind, Row(status, code))


def rewrite_answers(monkeypatch, method: str, path_end: str, rewrite) -> None:
    """In front of the handlers: `rewrite` changes the response start (status, headers) of the routed
    requests of `method` whose path ends in `path_end`."""
    real = Dispatch.__call__

    async def call(self, scope, receive, send):
        if scope["method"] != method or not scope["path"].endswith(path_end):
            return await real(self, scope, receive, send)

        async def send_rewritten(message):
            await send(rewrite(message) if message["type"] == "http.response.start" else message)

        return await real(self, scope, receive, send_rewritten)

    monkeypatch.setattr(Dispatch, "__call__", call)


def with_header(message: dict, name: str, value: str) -> dict:
    """A response start with header `name` set to `value` (in place of any it had)."""
    key = name.lower().encode("latin-1")
    headers = [(k, v) for k, v in message["headers"] if k != key] + [(key, value.encode("latin-1"))]
    return {**message, "headers": headers}
