"""The checker is the specification: it must not share code with the solver."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

FORBIDDEN = ("ortools", "numpy", "seatalloc.compile", "seatalloc.model", "seatalloc.solve")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_checker_imports_neither_solver_nor_compiled_arrays() -> None:
    # importlib: the package attribute seatalloc.check is the check() function.
    folder = Path(importlib.import_module("seatalloc.check").__file__).parent
    files = sorted(folder.glob("*.py"))
    assert files
    for path in files:
        bad = {name for name in _imports(path) if name.startswith(FORBIDDEN)}
        assert not bad, f"{path.name} imports {sorted(bad)}"
