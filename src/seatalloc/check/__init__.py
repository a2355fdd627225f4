"""The independent checker (no OR-Tools): every rule and the objective, recomputed."""

from seatalloc.check.checker import CheckReport, check

__all__ = ["CheckReport", "check"]
