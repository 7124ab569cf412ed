"""The package's layers, read from its source: no import cycle between modules, and storage at the
bottom (it imports nothing of d3k2db but itself and d3k2db/errors.py, which imports nothing).

Every import counts as an edge — at module level, inside a function (a lazy import is still a
dependency) or under TYPE_CHECKING — because each one is a module that cannot be understood, or
changed, without the other."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "d3k2db"

Graph = dict[str, set[str]]


def _modules(root: Path) -> dict[str, tuple[Path, bool]]:
    """Dotted module name → (file, is a package's __init__)."""
    found = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _imported(node: ast.AST, package: str, modules: Mapping[str, object]) -> Iterator[str]:
    """The dotted names an import statement names (``from a import b``: ``a.b`` when it is a module)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            parts = package.split(".")
            base = ".".join([*parts[: len(parts) - node.level + 1], *([node.module] if node.module else [])])
        else:
            base = node.module or ""
        for alias in node.names:
            yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base


def _owner(name: str, modules: Mapping[str, object]) -> str | None:
    """The module of the package a dotted name lies in (None: outside the package)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(root: Path) -> Graph:
    """Module → the modules of the same package it imports, anywhere in its source."""
    modules = _modules(root)
    graph: Graph = {name: set() for name in modules}
    for name, (path, is_package) in modules.items():
        package = name if is_package else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _imported(node, package, modules):
                owner = _owner(target, modules)
                if owner is not None and owner != name:
                    graph[name].add(owner)
    return graph


def find_cycle(graph: Graph) -> list[str] | None:
    """One import cycle as the modules along it (first module repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)) is not None:
                return cycle
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)) is not None:
            return cycle
    return None


def test_the_package_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph(PACKAGE))
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


BELOW_STORAGE = {"d3k2db.errors"}  # imports nothing of the package (checked below)


def test_storage_imports_only_itself_and_errors() -> None:
    graph = import_graph(PACKAGE)
    above = {
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.startswith("d3k2db.storage")
        for target in targets
        if not target.startswith("d3k2db.storage") and target not in BELOW_STORAGE
    }
    assert not above, "storage must not import the layers above it: " + "; ".join(sorted(above))
    for module in BELOW_STORAGE:
        assert not graph[module], f"{module} is below storage, yet imports {sorted(graph[module])}"


# The layers, lowest first (docs/architecture.md draws them): a part of the package may import the
# parts of its own layer's row and of the rows below it, never one above. Each part is a package of
# d3k2db or a top-level module; `d3k2db` itself (the public names) sits with the library's edges.
LAYERS: list[set[str]] = [
    {"errors", "version", "config", "resources", "i18n"},  # the base: nothing below it
    {"storage"},  # the schema and SQL: imports only itself and errors
    {"files"},  # the one CSV reader, the progress bar
    {"domain"},  # figures, evidence, the food record, units, results, text, vocabulary
    {"lookup"},  # finding foods by name
    {"meal"},  # reading and counting a meal
    {"plan"},  # planning the K2 for a dose
    {"database", "exchange", "ready"},  # worded failures, seed/import/export/FDC, ready for use
    {"output", "library"},  # rendering results; the API over all of the above
    {"web", "cli", "__main__", ""},  # the edges a person uses
]


def _part(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def test_each_part_imports_only_its_layer_and_those_below() -> None:
    rank = {part: level for level, parts in enumerate(LAYERS) for part in parts}
    graph = import_graph(PACKAGE)
    unplaced = sorted({_part(m) for m in graph} - rank.keys())
    assert not unplaced, (
        f"parts of d3k2db in no layer (add them to LAYERS and docs/architecture.md): {unplaced}"
    )
    upward = sorted(
        f"{module} → {target}"
        for module, targets in graph.items()
        for target in targets
        if rank[_part(target)] > rank[_part(module)]
    )
    assert not upward, "imports of a higher layer: " + "; ".join(upward)


def test_the_layers_are_the_ones_the_architecture_page_draws() -> None:
    page = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for level, parts in enumerate(LAYERS):
        row = next((line for line in page.splitlines() if line.startswith(f"| {level} |")), None)
        assert row is not None, f"docs/architecture.md draws no layer {level}"
        for part in parts - {""}:
            assert f"`{part}" in row, f"docs/architecture.md: layer {level} does not name `{part}`"


# --- the checks themselves, on small made-up packages -------------------------------------------


def _package(tmp_path: Path, files: Mapping[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("files", "cycle"),
    [
        (  # a lazy import inside a function closes the cycle
            {"__init__.py": "", "a.py": "from . import b\n", "b.py": "def f():\n    from .a import x\n"},
            ["pkg.a", "pkg.b", "pkg.a"],
        ),
        (  # an import under TYPE_CHECKING, through a subpackage, relative two levels up
            {
                "__init__.py": "",
                "low.py": "import typing\nif typing.TYPE_CHECKING:\n    from .sub.high import H\n",
                "sub/__init__.py": "",
                "sub/high.py": "from ..low import L\n",
            },
            ["pkg.low", "pkg.sub.high", "pkg.low"],
        ),
        (  # an absolute import of a name defined in a package's __init__
            {"__init__.py": "import pkg.a\n", "a.py": "from pkg import version\n"},
            ["pkg", "pkg.a", "pkg"],
        ),
        ({"__init__.py": "", "a.py": "from . import b\nimport os\n", "b.py": "import json\n"}, None),
    ],
)
def test_a_cycle_is_found_and_named(
    tmp_path: Path, files: Mapping[str, str], cycle: list[str] | None
) -> None:
    assert find_cycle(import_graph(_package(tmp_path, files))) == cycle
