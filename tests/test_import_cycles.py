"""No two files of the application import each other, directly or round a loop, whether
at the top of a file or inside a function: a cycle is a wall between modules that is not
there, patched by import order."""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "aftersales"


def module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _imported(node, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        here = module.split(".") if is_package else module.split(".")[:-1]
        here = here[: len(here) - (node.level - 1)]
        base = ".".join(here + ([base] if base else []))
    return [base] + [f"{base}.{alias.name}" for alias in node.names]


def import_graph() -> dict[str, set[str]]:
    """File -> the files of the package it imports (packages' __init__ left out: importing
    a sibling through its package is not a dependency on every file in it)."""
    names = module_names()
    graph: dict[str, set[str]] = {name: set() for name in names}
    for module, path in names.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _imported(node, module, is_package):
                while target and target not in names:
                    target = target.rpartition(".")[0]
                if target and target != module and names[target].name != "__init__.py":
                    graph[module].add(target)
    return graph


def test_no_file_imports_another_that_imports_it_back():
    try:
        tuple(TopologicalSorter(import_graph()).static_order())
    except CycleError as cycle:
        raise AssertionError(f"import cycle: {' -> '.join(cycle.args[1])}") from None


def test_the_graph_sees_imports_inside_functions_too():
    # backup.check_restored imports the evidence models where it needs them
    assert "aftersales.evidence.models" in import_graph()["aftersales.backup"]
