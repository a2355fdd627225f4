"""Solve: one budget for the whole call, a method from the registry, the hand-out of seats."""

from seatalloc.solve.options import SolveOptions
from seatalloc.solve.resolve import resolve
from seatalloc.solve.solver import solve

__all__ = ["SolveOptions", "resolve", "solve"]
