"""Request JSON as the APIs read it: strict RFC 8259 (no NaN, no Infinity, no lone surrogates) and
nested at most MAX_DEPTH levels, so that no later step (renaming, validation, error wording) can run
out of stack on a hostile document."""

from __future__ import annotations

from typing import Any

import orjson

# Far beyond any vendor payload (five levels at most), far below Python's recursion limit.
MAX_DEPTH = 64

JSONDecodeError = orjson.JSONDecodeError  # a json.JSONDecodeError: msg, lineno, colno


class TooDeep(ValueError):
    """The document nests arrays and objects deeper than MAX_DEPTH."""


def loads(raw: bytes | str) -> Any:
    """The document in `raw`; JSONDecodeError when it is not JSON, TooDeep when it nests too deep."""
    document = orjson.loads(raw)
    # A document can only nest as deep as it has brackets: most never need the walk.
    brackets = raw.count(b"[") + raw.count(b"{") if isinstance(raw, bytes) else raw.count("[") + raw.count("{")
    if brackets > MAX_DEPTH and not _within_depth(document):
        raise TooDeep(f"The request body nests arrays and objects deeper than {MAX_DEPTH} levels.")
    return document


def _within_depth(document: Any) -> bool:
    pending = [(document, 1)]
    while pending:
        node, depth = pending.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        if depth > MAX_DEPTH:
            return False
        pending.extend((child, depth + 1) for child in children)
    return True
