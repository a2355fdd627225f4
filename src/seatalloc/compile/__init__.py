"""Compile a validated event into read-only arrays of interchangeable types."""

from seatalloc.compile.arrays import NEEDS, NO_SESSION, OPEN, CompiledEvent, compile_event

__all__ = ["NEEDS", "NO_SESSION", "OPEN", "CompiledEvent", "compile_event"]
