"""No import cycles inside a profile package: imports at module level, in functions and under
TYPE_CHECKING all count, since each is a dependency a reader (or a refactoring) has to follow."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
MOCKSERVER = ROOT / "mockserver"


def profile_packages() -> list[Path]:
    """The packages of mockserver/ that describe a profile (a module-level `PROFILE = ...` in __init__)."""
    found = []
    for init in sorted(MOCKSERVER.glob("*/__init__.py")):
        tree = ast.parse(init.read_text(), filename=str(init))
        assigned = [node for node in tree.body if isinstance(node, ast.Assign)]
        targets = [target.id for node in assigned for target in node.targets if isinstance(target, ast.Name)]
        if "PROFILE" in targets:
            found.append(init.parent)
    return found


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports, wherever in the module the import is."""
    root = package.parent
    paths = {module_name(path, root): path for path in sorted(package.rglob("*.py"))}
    graph: dict[str, set[str]] = {name: set() for name in paths}
    for name, path in paths.items():
        is_package = path.name == "__init__.py"
        here = name.split(".") if is_package else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base_parts = here[: len(here) - (node.level - 1)] + (node.module.split(".") if node.module else [])
                else:
                    base_parts = (node.module or "").split(".")
                base = ".".join(base_parts)
                # `from pkg import sub` imports the submodule `pkg.sub` when there is one, else a name of `pkg`.
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in paths else base for alias in node.names]
            for target in targets:
                if target in paths and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that reach each other (Tarjan's strongly connected components of size > 1)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_vendor_profile_is_checked():
    names = {package.name for package in profile_packages()}
    assert {"trimble", "invers", "hourfleet"} <= names


@pytest.mark.parametrize("package", profile_packages(), ids=lambda package: package.name)
def test_a_profile_package_has_no_import_cycle(package):
    graph = import_graph(package)
    assert len(graph) > 1 and any(graph.values()), f"{package.name}: the import graph came out empty"
    assert cycles(graph) == []


@pytest.mark.parametrize("package", profile_packages(), ids=lambda package: package.name)
def test_a_profile_package_name_is_its_own_module(package):
    """`from mockserver.hourfleet import bookings` is the booking rules, not a handler module that the
    package's __init__ imported under the same name. Read from the source: whether the attribute is the
    module at run time depends on which modules other tests imported first."""
    init = package / "__init__.py"
    modules = {path.stem for path in package.glob("*.py")} - {"__init__"}
    bound = []  # the names __init__ binds at module level, other than `from . import module`
    for node in ast.parse(init.read_text(), filename=str(init)).body:
        if isinstance(node, ast.ImportFrom) and not (node.level == 1 and node.module is None):
            bound += [alias.asname or alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            bound += [alias.asname or alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.Assign):
            bound += [target.id for target in node.targets if isinstance(target, ast.Name)]
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound.append(node.name)
    assert sorted(modules & set(bound)) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"f"}, "f": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_imports_in_functions_and_under_type_checking_count(tmp_path):
    package = tmp_path / "shop"
    (package / "handlers").mkdir(parents=True)
    (package / "__init__.py").write_text("from .handlers import orders\n")
    (package / "world.py").write_text("from . import state\n")
    (package / "state.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .world import World\n"
    )
    (package / "views.py").write_text("def shape():\n    from .world import World\n")
    (package / "handlers" / "__init__.py").write_text("def session():\n    pass\n")
    (package / "handlers" / "orders.py").write_text("from . import session\nfrom ..views import shape\n")
    graph = import_graph(package)
    assert graph["shop.handlers.orders"] == {"shop.handlers", "shop.views"}
    assert graph["shop.views"] == {"shop.world"}
    assert graph["shop"] == {"shop.handlers.orders"}
    assert cycles(graph) == [["shop.state", "shop.world"]]
