"""Hourfleet's search conventions, the same for every search: `Sort`, `Filter`, `Distinct`, `Limit`,
`Offset`, and the `Metadata` that describes the result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mockserver.engine.errors import FieldError, InvalidInput
from mockserver.engine.ordered import SortedKeys

# Sorts after every row id (ids are lower-case UUIDs): `(key, LAST_ID)` ends a group of equal keys.
LAST_ID = "\U0010ffff"


@dataclass(frozen=True)
class SearchRules:
    """What one search allows: its sortable properties, its default sort, every property it returns."""

    properties: tuple[str, ...]
    sortable: tuple[str, ...]
    default_sort: str  # `-CreatedDateUtc` style


@dataclass(frozen=True)
class SearchQuery:
    sort: str | None = None
    filter: str | None = None
    limit: int = 0
    offset: int = 0
    distinct: str | None = None


def _named(name: str, allowed: tuple[str, ...], parameter: str, what: str) -> str:
    """The property `name` stands for, in the spec's casing (names are matched in any case)."""
    folded = name.replace("_", "").casefold()
    for candidate in allowed:
        if candidate.casefold() == folded:
            return candidate
    raise InvalidInput(
        f"{parameter}: '{name}' is not {what}.",
        (FieldError(parameter, f"'{name}' is not {what}; use one of {', '.join(allowed)}.", "InvalidProperty"),),
    )


def parse_sort(text: str, rules: SearchRules) -> tuple[str, bool]:
    """`-Field` -> (Field, descending); `+Field` and `Field` ascend."""
    descending = text.startswith("-")
    return _named(text.lstrip("+-"), rules.sortable, "Sort", "a property this search sorts by"), descending


def _sort_key(field: str):
    def key(row: dict):
        value = row.get(field)
        return value.casefold() if isinstance(value, str) else value

    return key


def ordered(rows: list[dict], field: str, descending: bool) -> list[dict]:
    """Sorted by `field` (strings case-insensitively; ties by Id); rows without it come last."""
    having = [row for row in rows if row.get(field) is not None]
    lacking = [row for row in rows if row.get(field) is None]
    having.sort(key=lambda row: row["Id"])
    having.sort(key=_sort_key(field), reverse=descending)
    return having + sorted(lacking, key=lambda row: row["Id"])


def _options(rules: SearchRules, query: SearchQuery) -> tuple[str, bool, list[str], str | None]:
    """The query's sort field and direction, its `Filter` fields and its `Distinct` field, checked."""
    field, descending = parse_sort(query.sort or rules.default_sort, rules)
    fields = [
        _named(name.strip(), rules.properties, "Filter", "a property of this resource")
        for name in (query.filter or "").split(",")
        if name.strip()
    ]
    distinct = (
        _named(query.distinct, rules.properties, "Distinct", "a property of this resource") if query.distinct else None
    )
    return field, descending, fields, distinct


def _answer(page: list[dict], total: int, query: SearchQuery, field: str, descending: bool, fields: list[str]):
    if fields:
        kept = ["Id"] + [name for name in dict.fromkeys(fields) if name != "Id"]
        page = [{name: row[name] for name in kept if name in row} for row in page]
    metadata = {
        "Total": total,
        "Limit": query.limit,
        "Offset": query.offset,
        "Sort": {"By": field, "Direction": "Descending" if descending else "Ascending"},
        "Filter": {"Fields": list(dict.fromkeys(fields))},
        "Distinct": None,
    }
    return page, metadata


def search(rows: list[dict], rules: SearchRules, query: SearchQuery) -> tuple[list[dict], dict]:
    """Apply a search's options to its full result rows; answer the page and its `Metadata`."""
    field, descending, fields, distinct = _options(rules, query)
    rows = ordered(rows, field, descending)
    if distinct:
        seen: set = set()
        unique = []
        for row in rows:
            value = repr(row.get(distinct))
            if value not in seen:
                seen.add(value)
                unique.append(row)
        rows = unique
    page = rows[query.offset :] if not query.limit else rows[query.offset : query.offset + query.limit]
    page, metadata = _answer(page, len(rows), query, field, descending, fields)
    metadata["Distinct"] = distinct
    return page, metadata


def search_ordered(
    order: RowOrder,
    all_rows: Callable[[], list[dict]],
    row_of: Callable[[str], dict],
    rules: SearchRules,
    query: SearchQuery,
) -> tuple[list[dict], dict]:
    """`search`, reading the page from `order` instead of sorting every row (a `Distinct` still reads them all).

    `all_rows` gives the rows as `order` indexes them (for building an index the first time), `row_of`
    a row by id as the answer shows it.
    """
    field, descending, fields, distinct = _options(rules, query)
    if distinct:
        return search([row_of(row["Id"]) for row in all_rows()], rules, query)
    ids, total = order.page(field, descending, query.offset, query.limit, all_rows)
    return _answer([row_of(row_id) for row_id in ids], total, query, field, descending, fields)


class RowOrder:
    """The rows of one search kept in `ordered`'s order for each property it was sorted by: rows having the
    property by (sort key, Id), the rest by Id. Built the first time a property is asked for, then kept by
    `update` and `drop`. Its answers depend only on the rows, never on when it was built."""

    def __init__(self) -> None:
        self._keys: dict[str, dict[str, Any]] = {}  # field -> row id -> its key (None: lacking)
        self._having: dict[str, SortedKeys] = {}
        self._lacking: dict[str, SortedKeys] = {}

    def _build(self, field: str, rows: list[dict]) -> None:
        key = _sort_key(field)
        keys = self._keys[field] = {row["Id"]: (key(row) if row.get(field) is not None else None) for row in rows}
        self._having[field] = SortedKeys((k, row_id) for row_id, k in keys.items() if k is not None)
        self._lacking[field] = SortedKeys(row_id for row_id, k in keys.items() if k is None)

    def update(self, row: dict) -> None:
        """A row added or changed."""
        self.drop(row["Id"])
        for field, keys in self._keys.items():
            key = _sort_key(field)(row) if row.get(field) is not None else None
            keys[row["Id"]] = key
            if key is None:
                self._lacking[field].add(row["Id"])
            else:
                self._having[field].add((key, row["Id"]))

    def drop(self, row_id: str) -> None:
        """A row removed (or about to be re-added)."""
        for field, keys in self._keys.items():
            if row_id not in keys:
                continue
            key = keys.pop(row_id)
            if key is None:
                self._lacking[field].remove(row_id)
            else:
                self._having[field].remove((key, row_id))

    def page(
        self, field: str, descending: bool, offset: int, limit: int, all_rows: Callable[[], list[dict]]
    ) -> tuple[list[str], int]:
        """The ids at `offset` (all the rest if `limit` is 0), and how many rows there are."""
        if field not in self._keys:
            self._build(field, all_rows())
        having, lacking = self._having[field], self._lacking[field]
        count, total = len(having), len(having) + len(lacking)
        stop = total if not limit else min(total, offset + limit)
        ids = self._having_page(having, offset, min(stop, count), descending) if offset < count else []
        if stop > count:
            ids += lacking.slice(max(offset, count) - count, stop - count)
        return ids, total

    @staticmethod
    def _having_page(having: SortedKeys, start: int, stop: int, descending: bool) -> list[str]:
        if not descending:
            return [row_id for _, row_id in having.slice(start, stop)]
        # Descending keys, but ties still by ascending Id (as `ordered` sorts): the window of the reversed
        # order holds the right keys; only a tie group cut by its edge needs its own part looked up.
        count = len(having)
        window = having.slice(count - stop, count - start)
        groups: list[tuple[Any, list[str]]] = []
        for key, row_id in window:
            if groups and groups[-1][0] == key:
                groups[-1][1].append(row_id)
            else:
                groups.append((key, [row_id]))
        ids: list[str] = []
        for at, (key, members) in enumerate(reversed(groups)):
            if 0 < at < len(groups) - 1:
                ids += members
                continue
            low, high = having.position((key,)), having.position((key, LAST_ID))
            if high - low == len(members):
                ids += members
                continue
            first = count - high  # the group's first place in descending order
            begin, end = max(start, first), min(stop, first + high - low)
            ids += [row_id for _, row_id in having.slice(low + begin - first, low + end - first)]
        return ids


def embeds_of(text: str | None, resource: str, children: tuple[str, ...], single: bool) -> frozenset[str]:
    """Which of `children` to embed: all by default for a single GET, none for a search; `none`,
    `all`, `*`, or a list such as `Rating,Car.Verifications` (names in any case)."""
    if text is None or not text.strip():
        return frozenset(children) if single else frozenset()
    words = [word.strip() for word in text.split(",") if word.strip()]
    if len(words) == 1 and words[0].casefold() == "none":
        return frozenset()
    if len(words) == 1 and words[0].casefold() in ("all", "*"):
        return frozenset(children)
    chosen = set()
    for word in words:
        parent, _, child = word.rpartition(".")
        if parent and parent.replace("_", "").casefold() != resource.casefold():
            child = word  # reported whole below
        chosen.add(
            _named(child, children, "Embed", f"a resource {resource} embeds")
            if children
            else _no_embeds(word, resource)
        )
    return frozenset(chosen)


def _no_embeds(word: str, resource: str) -> str:
    raise InvalidInput(
        f"Embed: a {resource} embeds no resources ('{word}').",
        (FieldError("Embed", f"a {resource} embeds no resources; use none, all or *.", "InvalidProperty"),),
    )
