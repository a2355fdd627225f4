"""seatalloc: assign attendees to parallel sessions, optimally and with proof.

>>> import seatalloc
>>> event = seatalloc.Event.from_json("examples/jamlikhetskonferensen-2019.json")  # doctest: +SKIP
>>> allocation = seatalloc.solve(event, time_limit=10, seed=1)  # doctest: +SKIP
>>> seatalloc.check(event, allocation).ok  # doctest: +SKIP
True

Every public name loads when first used (as in SciPy and scikit-learn):
``import seatalloc`` is instant, the schema loads pydantic when first touched,
and numpy and the solvers load only when something is solved.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from seatalloc.version import __version__ as __version__

if TYPE_CHECKING:
    from seatalloc.check import CheckReport, check
    from seatalloc.errors import InputError, OutOfMemory, Problem, SeatallocError
    from seatalloc.explain import audit, compare_objectives, explain
    from seatalloc.explain.report import render_report
    from seatalloc.io.importer import import_event
    from seatalloc.io.rosters import write_rosters
    from seatalloc.schema import Allocation, Event
    from seatalloc.schema.records import ObjectiveKind
    from seatalloc.solve.options import MethodName, Progress, SolveOptions
    from seatalloc.solve.resolve import resolve
    from seatalloc.solve.solver import solve

#: Where each public name lives.
_HOME = {
    "Allocation": "seatalloc.schema",
    "CheckReport": "seatalloc.check",
    "Event": "seatalloc.schema",
    "InputError": "seatalloc.errors",
    "MethodName": "seatalloc.solve.options",
    "ObjectiveKind": "seatalloc.schema.records",
    "OutOfMemory": "seatalloc.errors",
    "Problem": "seatalloc.errors",
    "Progress": "seatalloc.solve.options",
    "SeatallocError": "seatalloc.errors",
    "SolveOptions": "seatalloc.solve.options",
    "audit": "seatalloc.explain",
    "check": "seatalloc.check",
    "compare_objectives": "seatalloc.explain",
    "explain": "seatalloc.explain",
    "import_event": "seatalloc.io.importer",
    "render_report": "seatalloc.explain.report",
    "resolve": "seatalloc.solve.resolve",
    "solve": "seatalloc.solve.solver",
    "write_rosters": "seatalloc.io.rosters",
}
__all__ = [
    "Allocation",
    "CheckReport",
    "Event",
    "InputError",
    "MethodName",
    "ObjectiveKind",
    "OutOfMemory",
    "Problem",
    "Progress",
    "SeatallocError",
    "SolveOptions",
    "audit",
    "check",
    "compare_objectives",
    "explain",
    "import_event",
    "render_report",
    "resolve",
    "solve",
    "write_rosters",
]  # (a test keeps it equal to _HOME's names)


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # loaded once; this also puts the function solve over the subpackage's name
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """The package, whose names ``solve``, ``check`` and ``explain`` are the functions even after
    the subpackages of those names are imported."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _HOME and isinstance(value, types.ModuleType):
            return  # the import system binds a subpackage of that name here: keep the function
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package  # (Python's documented way to customise a module)
