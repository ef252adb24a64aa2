"""The specs in openapi/ are well formed beyond what Connexion checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.contract import load_spec, openapi_dir

SPECS = sorted(path.name for path in Path(openapi_dir()).glob("*.yaml"))


def split_descriptions(node, where="") -> list[str]:
    """Keys with spaces and no value: a flow-style YAML value cut at an unquoted comma."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if value is None and isinstance(key, str) and " " in key:
                found.append(f"{where}/{key}")
            found += split_descriptions(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += split_descriptions(value, f"{where}/{index}")
    return found


@pytest.mark.parametrize("spec", SPECS)
def test_no_description_was_split_by_yaml(spec):
    assert split_descriptions(load_spec(spec)) == []


@pytest.mark.parametrize("spec", SPECS)
def test_every_operation_has_an_id_a_summary_and_documented_errors(spec):
    document = load_spec(spec)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                assert operation.get("operationId") and operation.get("summary"), f"{method} {path}"
                takes_input = item.get("parameters") or operation.get("parameters") or operation.get("requestBody")
                secured = any(operation.get("security", document.get("security", [])))
                if takes_input or secured:
                    assert any(code.startswith("4") for code in operation["responses"]), (
                        f"{method} {path} documents no 4xx"
                    )
