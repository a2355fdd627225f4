"""The registered methods: one line each, name -> the module that defines its ``METHOD``.

Methods are imported only when used (OR-Tools takes a second to load).
"""

from __future__ import annotations

REGISTRY: dict[str, str] = {
    "cp-sat": "seatalloc.solve.methods.cp_sat",
    "flow": "seatalloc.solve.methods.flow",
    "lns": "seatalloc.solve.methods.lns",
}


def method_names() -> tuple[str, ...]:
    """Return the names of the registered methods."""
    return tuple(REGISTRY)
