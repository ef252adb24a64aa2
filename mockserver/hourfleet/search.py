"""Hourfleet's search conventions, the same for every search: `Sort`, `Filter`, `Distinct`, `Limit`,
`Offset`, and the `Metadata` that describes the result."""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.engine.errors import FieldError, InvalidInput


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


def search(rows: list[dict], rules: SearchRules, query: SearchQuery) -> tuple[list[dict], dict]:
    """Apply a search's options to its full result rows; answer the page and its `Metadata`."""
    field, descending = parse_sort(query.sort or rules.default_sort, rules)
    fields = [
        _named(name.strip(), rules.properties, "Filter", "a property of this resource")
        for name in (query.filter or "").split(",")
        if name.strip()
    ]
    distinct = (
        _named(query.distinct, rules.properties, "Distinct", "a property of this resource") if query.distinct else None
    )
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
    total = len(rows)
    page = rows[query.offset :] if not query.limit else rows[query.offset : query.offset + query.limit]
    if fields:
        kept = ["Id"] + [name for name in dict.fromkeys(fields) if name != "Id"]
        page = [{name: row[name] for name in kept if name in row} for row in page]
    metadata = {
        "Total": total,
        "Limit": query.limit,
        "Offset": query.offset,
        "Sort": {"By": field, "Direction": "Descending" if descending else "Ascending"},
        "Filter": {"Fields": list(dict.fromkeys(fields))},
        "Distinct": distinct,
    }
    return page, metadata


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
