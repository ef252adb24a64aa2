"""A Schemathesis `filter_case` hook: its coverage phase sends each invalid value of a parameter once per operation.

Registered in the Schemathesis process of the contract layer (schemathesis_layer.RUN_SCHEMATHESIS). The
coverage phase mutates each parameter twice over: once alone (`format: Incorrect type`, the other optional
parameters left out) and once among all the others at valid values (`Incorrect type`); and it adds the
same unknown query parameter beside each optional one in turn. The repeats send the same invalid value in
the same place and ask the same question (is it refused with a 4xx, never a 5xx?), so only the first goes
out: a seventh of Hourfleet's coverage cases. Every other case goes out as Schemathesis made it: positive
ones, every distinct invalid value, and the cases of the other phases.
"""

from __future__ import annotations

import json
import threading

import schemathesis

# The scenarios that put one invalid value in one parameter (or body property).
VALUE_MUTATIONS = frozenset(
    {
        "incorrect_type",
        "invalid_enum_value",
        "invalid_format",
        "invalid_pattern",
        "not_multiple_of",
        "value_above_maximum",
        "value_below_minimum",
        "string_above_max_length",
        "string_below_min_length",
        "array_above_max_items",
        "array_below_min_items",
        "non_unique_items",
    }
)
UNEXPECTED = "object_unexpected_properties"
CONTAINERS = {"query": "query", "path": "path_parameters", "header": "headers", "cookie": "cookies"}


class SentOnce:
    """What the coverage phase has sent of each operation's invalid values (its workers share it)."""

    def __init__(self) -> None:
        self._sent: set[tuple] = set()
        self._lock = threading.Lock()

    def first(self, case) -> bool:
        """Whether `case` is the first to send its invalid value where it sends it; True for any other case."""
        meta = case.meta
        if meta is None or str(meta.phase.name) != "coverage" or str(meta.generation.mode) != "negative":
            return True
        where = invalid_value(case)
        if where is None:
            return True
        key = (case.operation.label, *where)
        with self._lock:
            if key in self._sent:
                return False
            self._sent.add(key)
        return True


def invalid_value(case) -> tuple | None:
    """Where a coverage case puts its invalid value and what that is; None when it is not one value in one place."""
    data = case.meta.phase.data
    scenario = str(getattr(data, "scenario", ""))
    location = str(getattr(data.parameter_location, "value", data.parameter_location))
    if scenario == UNEXPECTED and location in CONTAINERS:
        return (location, UNEXPECTED)
    if scenario not in VALUE_MUTATIONS:
        return None
    if location in CONTAINERS:
        container = getattr(case, CONTAINERS[location]) or {}
        if data.parameter not in container:
            return None
        return (location, data.parameter, _canonical(container[data.parameter]))
    if location == "body" and isinstance(case.body, dict) and ": " in data.description:
        name = data.description.split(": ", 1)[0]
        if name in case.body:
            return ("body", case.media_type, name, _canonical(case.body[name]))
    return None


def _canonical(value) -> str:
    # The type stays part of it: 0 and "0" are one text on the wire of a query, but not in a JSON body.
    return f"{type(value).__name__}:{json.dumps(value, sort_keys=True, default=repr)}"


def register() -> None:
    """Registers the hook with Schemathesis, for the rest of the process (its own, not a test session's)."""
    sent = SentOnce()

    def filter_case(context, case) -> bool:
        return sent.first(case)

    schemathesis.hook(filter_case)
