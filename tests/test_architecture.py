"""The shape of the package: no import cycles, and an engine that reads as the pipeline.

The import graph is read from the source with ``ast``, so it counts imports inside
functions too (an import deferred to run time is still a dependency); only imports
under ``if TYPE_CHECKING:`` are left out, as they never run.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"ecslint": ROOT / "linter", "ecslint.rules": ROOT / "rules"}


def _modules() -> dict[str, Path]:
    found = {}
    for package, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _type_checking(node):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        pending.extend(ast.iter_child_nodes(node))
    return names


def import_graph() -> dict[str, set[str]]:
    """Each ecslint module and the ecslint modules it imports, at any level."""
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        imported = _imports(ast.parse(path.read_text(encoding="utf-8")))
        graph[name] = {other for other in imported if other in modules and other != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
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


def test_the_graph_sees_function_level_imports() -> None:
    graph = import_graph()
    assert "ecslint.parallel" in graph["ecslint.engine"]  # imported inside a function
    assert "ecslint.suppress.baseline" not in graph["ecslint.engine"]  # only under TYPE_CHECKING


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Which packages of ``linter/`` (and ``rules``) import which other packages; the
    top-level modules (``rule``, ``engine`` ...) are left out on both sides."""
    def package(module: str) -> str | None:
        parts = module.split(".")
        return parts[1] if len(parts) > 2 or parts[1:] == ["rules"] else None

    found: dict[str, set[str]] = {}
    for module, imported in graph.items():
        source = package(module)
        if source is None:
            continue
        found.setdefault(source, set())
        for other in imported:
            target = package(other)
            if target is not None and target != source:
                found[source].add(target)
    return found


def documented_dependencies() -> dict[str, set[str]]:
    """The list under "How the packages depend on each other" in ARCHITECTURE.md."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("## How the packages depend on each other", 1)[1].split("\n## ", 1)[0]
    found = {}
    for line in re.findall(r"^- `(\w+)`: (.*)$", section, re.MULTILINE):
        package, rest = line
        found[package] = set(re.findall(r"(?:^|, )(\w+)", rest))
    return found


def test_packages_import_what_architecture_md_says() -> None:
    actual = {name: deps for name, deps in package_graph(import_graph()).items() if deps}
    assert actual == documented_dependencies()


def test_no_package_import_cycles() -> None:
    assert cycles(package_graph(import_graph())) == []


def test_the_package_graph_ignores_top_level_modules() -> None:
    graph = {"ecslint.load.readers": {"ecslint.rule", "ecslint.suppress.directives"},
             "ecslint.engine": {"ecslint.load.readers"},
             "ecslint.rules.x": {"ecslint.rules._y", "ecslint.platform.windows"}}
    assert package_graph(graph) == {"load": {"suppress"}, "rules": {"platform"}}


def test_the_engine_reads_as_the_pipeline() -> None:
    lines = (ROOT / "linter" / "engine.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 300  # 566 before issue 11 split it; about 280 after
