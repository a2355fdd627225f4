"""Solve: one budget for the whole call, a method from the registry, the hand-out of seats.

``solve`` and ``resolve`` load numpy and the solvers when first used, so that
importing seatalloc (or its options) stays instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from seatalloc.solve.options import SolveOptions

if TYPE_CHECKING:
    from seatalloc.solve.resolve import resolve
    from seatalloc.solve.solver import solve

__all__ = ["SolveOptions", "resolve", "solve"]


def __getattr__(name: str) -> Any:
    if name in ("solve", "resolve"):
        from seatalloc.solve.resolve import resolve
        from seatalloc.solve.solver import solve

        # Importing the submodule seatalloc.solve.resolve bound it to the name: the function wins.
        globals().update(solve=solve, resolve=resolve)
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
