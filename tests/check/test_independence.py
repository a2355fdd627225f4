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


def test_checker_prices_seats_without_the_event_s_pricing() -> None:
    folder = Path(importlib.import_module("seatalloc.check").__file__).parent
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        called = {
            node.func.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        }
        read = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        assert not called & {"cost", "prices"} and "top_score" not in read, (
            f"{path.name} prices through the event"
        )


def test_a_pricing_bug_in_the_event_does_not_reach_the_checker(monkeypatch) -> None:
    from helpers import event_dict
    from seatalloc import Event, check, solve
    from seatalloc.schema.event import Event as EventModel

    event = Event.model_validate(
        event_dict(
            attendees=[
                {"id": "r", "choices": ["B", "A"]},
                {"id": "c", "costs": {"A": 3, "B": 8}},
                {"id": "s", "scores": {"A": 2, "B": 9}},
            ],
            organisations=[],
            objective={"rank_costs": [0, 5], "unranked_cost": 40},
        )
    )
    allocation = solve(event, work_limit=10)
    honest = check(event, allocation)
    assert honest.ok and honest.objective == allocation.objective
    monkeypatch.setattr(EventModel, "prices", lambda self, attendee, top=None: ({}, 0))
    assert check(event, allocation).objective == honest.objective
