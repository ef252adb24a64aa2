"""Response formats beyond JSON, for vendors whose framework offers them (ServiceStack): choosing one
from a `format` parameter or the `Accept` header, and writing XML, CSV, JSV and HTML.

A profile names the formats it writes (`Profile.formats`); when that is more than JSON, every operation
behind its token runs inside `answering_in`, which settles the format before the handler runs and
writes the handler's JSON-ready answer in it, so every format shows exactly the same data.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable
from typing import Any

import inflection

from mockserver.engine.errors import NotAcceptable

from .request import current

MEDIA_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "csv": "text/csv",
    "jsv": "text/jsv",
    "html": "text/html",
}
_BY_MEDIA_TYPE = {media_type: name for name, media_type in MEDIA_TYPES.items()}
_BY_MEDIA_TYPE.update({"text/xml": "xml", "application/jsv": "jsv", "application/csv": "csv"})
# Where a request's chosen format is kept (`Request.g`) between negotiation and writing.
FORMAT_KEY = "fleetbox.format"


def negotiate(format_name: str | None, accept: str | None, offered: Iterable[str] = tuple(MEDIA_TYPES)) -> str | None:
    """The format to answer in: `format` wins, then the best `Accept` match among `offered`, else JSON.

    None when the `Accept` header names only types no writer produces.
    """
    if format_name:
        # Taken as it is: the spec's `format` enum (validated before this) holds the offered names.
        return format_name.lower()
    if not accept or not accept.strip():
        return "json"
    offered = frozenset(offered)
    best, best_q = None, 0.0
    for item in accept.split(","):
        media_type, *params = [part.strip() for part in item.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        media_type = media_type.lower()
        name = _BY_MEDIA_TYPE.get(media_type) or ("json" if media_type in ("*/*", "application/*", "*") else None)
        if name in offered and q > best_q:
            best, best_q = name, q
    return best


def chosen() -> str:
    """The format this request is answered in (JSON unless its operation negotiated another)."""
    return current().g.get(FORMAT_KEY, "json")


def negotiated_operations(spec: dict) -> frozenset[str]:
    """The operations that answer in any of a profile's formats: those behind the API's token. (Endpoints
    open to all, such as OAuth 2's, write the one media type their protocol defines.)"""
    return frozenset(
        operation["operationId"]
        for item in spec.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, dict)
        and "operationId" in operation
        and operation.get("security", spec.get("security"))
    )


def answering_in(formats: tuple[str, ...], handler: Callable) -> Callable:
    """`handler` answering in the format a request asks for among `formats`.

    The format is settled before the handler runs, so an unacceptable `Accept` header changes nothing.
    The handler answers JSON-ready data: a dict (with a status and headers, if it likes), or no content.
    """
    media_types = [MEDIA_TYPES[name] for name in formats]
    listed = ", ".join(media_types[:-1]) + " or " + media_types[-1] if len(media_types) > 1 else media_types[0]
    refusal = f"The Accept header names no format this API writes: use {listed}."

    @functools.wraps(handler)
    def answered(*args, **kwargs):
        request = current()
        name = negotiate(request.args.get("format"), request.headers.get("Accept"), formats)
        if name is None:
            raise NotAcceptable(refusal)
        request.g.setdefault(FORMAT_KEY, name)
        return written(handler(*args, **kwargs))

    return answered


def written(answer: Any) -> Any:
    """A handler's answer in the chosen format, with exactly the media type the spec declares."""
    body, status, headers = _unpacked(answer)
    if isinstance(body, dict):
        name = chosen()
        title = f"{next(iter(body))}Response"
        # The same URL answers in several formats, so caches must key on Accept too.
        return write(name, body, title), status, {**headers, "Content-Type": MEDIA_TYPES[name], "Vary": _vary(headers)}
    if status == 304:
        # Not Modified names the media type and repeats the Vary the full answer would have had.
        return body, status, {**headers, "Content-Type": MEDIA_TYPES[chosen()], "Vary": _vary(headers)}
    return answer


def _vary(headers: dict) -> str:
    """`Accept`, then whatever else the handler's answer varies by (its own `Vary`)."""
    others = [name.strip() for name in headers.get("Vary", "").split(",") if name.strip().lower() not in ("", "accept")]
    return ", ".join(["Accept", *others])


def _unpacked(answer: Any) -> tuple[Any, int, dict]:
    """(body, status, headers) of a handler's answer: a body alone, or a tuple as Connexion takes it."""
    if not isinstance(answer, tuple):
        return answer, 200, {}
    if len(answer) == 2:
        return answer[0], answer[1], {}
    return answer[0], answer[1], answer[2] or {}


# --- JSV ---------------------------------------------------------------------------------------

_JSV_SPECIAL = set('[]{},"')


def _jsv_string(text: str) -> str:
    if text == "":
        return '""'
    if any(ch in _JSV_SPECIAL for ch in text) or text != text.strip():
        return '"' + text.replace('"', '""') + '"'
    return text


def to_jsv(value: Any) -> str:
    """ServiceStack's JSV: JSON without quotes, strings quoted CSV-style only when they must be."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{key}:{to_jsv(item)}" for key, item in value.items() if item is not None) + "}"
    if isinstance(value, list):
        return "[" + ",".join(to_jsv(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, str):
        return _jsv_string(value)
    return str(value)


# --- CSV ---------------------------------------------------------------------------------------


def rows_of(body: dict) -> list[dict]:
    """What CSV shows: the rows of the body's first list (a search's results), else the one resource."""
    for value in body.values():
        if isinstance(value, list):
            return [row for row in value if isinstance(row, dict)]
    resource = next((value for value in body.values() if isinstance(value, dict)), body)
    return [resource]


def to_csv(body: dict) -> str:
    rows = rows_of(body)
    # The fullest row sets the column order (empty values are omitted, so rows differ).
    columns = list(dict.fromkeys(key for row in sorted(rows, key=len, reverse=True) for key in row))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else _cell(row[c]) for c in columns])
    return out.getvalue()


def _cell(value: Any) -> str:
    # Nested values are written as JSV inside the cell, as ServiceStack's CSV does.
    if isinstance(value, (dict, list)):
        return to_jsv(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- XML ---------------------------------------------------------------------------------------


def _xml_into(parent: ElementTree.Element, name: str, value: Any) -> None:
    if value is None:
        return
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _xml_into(element, key, item)
    elif isinstance(value, list):
        item_name = inflection.singularize(name) if name != inflection.singularize(name) else f"{name}Item"
        for item in value:
            _xml_into(element, item_name, item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)


def to_xml(body: dict, root: str) -> str:
    element = ElementTree.Element(root)
    for key, value in body.items():
        _xml_into(element, key, value)
    return '<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(element, encoding="unicode")


# --- HTML --------------------------------------------------------------------------------------

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.3em 0}"
    "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#f3f3f3}"
)


def _html_value(value: Any) -> str:
    if isinstance(value, dict):
        cells = "".join(
            f"<tr><th>{html.escape(str(k))}</th><td>{_html_value(v)}</td></tr>"
            for k, v in value.items()
            if v is not None
        )
        return f"<table>{cells}</table>"
    if isinstance(value, list):
        if value and all(isinstance(item, dict) for item in value):
            columns = list(dict.fromkeys(key for item in value for key in item))
            head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
            rows = "".join(
                "<tr>" + "".join(f"<td>{_html_value(item.get(c))}</td>" for c in columns) + "</tr>" for item in value
            )
            return f"<table><tr>{head}</tr>{rows}</table>"
        return ", ".join(_html_value(item) for item in value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return html.escape(str(value))


def to_html(body: dict, title: str) -> str:
    """A readable page of the body, with the JSON it stands for linked as ?format=json."""
    sections = "".join(f"<h2>{html.escape(key)}</h2>{_html_value(value)}" for key, value in body.items())
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>{sections}</body></html>"
    )


def write(format_name: str, body: dict, title: str) -> str | dict:
    """`body` in `format_name`; `title` names the XML root and the HTML page. JSON stays a dict, for
    the app's JSON writer."""
    if format_name == "xml":
        return to_xml(body, title)
    if format_name == "csv":
        return to_csv(body)
    if format_name == "jsv":
        return to_jsv(body)
    if format_name == "html":
        return to_html(body, title)
    return body
