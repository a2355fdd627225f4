"""Solve: CP-SAT on the type-level model, then hand seats out to attendees."""

from seatalloc.solve.resolve import resolve
from seatalloc.solve.solver import solve

__all__ = ["resolve", "solve"]
