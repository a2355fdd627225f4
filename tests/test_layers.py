"""The house: imports run one way, with no circle anywhere in src/."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
#: What each layer must not import (``seatalloc.<layer>``).
FORBIDDEN = {
    "schema": ("compile", "model", "solve", "check", "explain", "io", "serve", "cli"),
    "compile": ("model", "solve", "check", "explain", "io", "serve", "cli"),
    "model": ("solve", "check", "explain", "io", "serve", "cli"),
    "solve": ("explain", "io", "serve", "cli"),
    "check": ("compile", "model", "solve", "explain", "io", "serve", "cli"),
    "io": ("compile", "model", "solve", "explain", "serve", "cli"),
    "explain": ("io", "serve", "cli"),
    "serve": ("cli",),  # the service is an optional extra: only the command line starts it
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Modules of seatalloc that ``path`` imports, at any depth (lazy and TYPE_CHECKING ones too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        for name in names:
            if name in modules:
                found.add(name)
    return found


def test_no_import_circle_anywhere_in_src() -> None:
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                raise AssertionError("import circle: " + " -> ".join(path[path.index(target) :] + [target]))
            if target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_each_layer_imports_only_the_layers_below_it() -> None:
    modules = _modules()
    for name, path in modules.items():
        layer = name.split(".")[1] if name.count(".") else ""
        for target in _imports(path, modules):
            bad = FORBIDDEN.get(layer, ())
            assert not target.startswith(tuple(f"seatalloc.{b}" for b in bad)), f"{name} imports {target}"
