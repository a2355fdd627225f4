"""The one owner of the CP-SAT variables of a compiled event.

``seat[e]`` is how many members of arc ``e``'s type sit in its session.
``admitted(t)`` is how many members of type ``t`` may be seated at all: the
whole type, or a variable when its organisation has a ``max_seats`` quota.
With ``explain=True`` every rule that can make an event infeasible is guarded
by an assumption literal, so CP-SAT can name a conflicting set of rules.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent


def groups(*columns: NDArray[np.int64]) -> Iterator[tuple[tuple[int, ...], NDArray[np.int64]]]:
    """Yield ``(key, indices)`` for each distinct row of the stacked columns, in key order."""
    if len(columns[0]) == 0:
        return
    order = np.lexsort(columns[::-1])
    stacked = np.stack([c[order] for c in columns])
    change = np.flatnonzero(np.any(stacked[:, 1:] != stacked[:, :-1], axis=0)) + 1
    bounds = np.concatenate(([0], change, [len(order)]))
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        yield tuple(int(v) for v in stacked[:, lo]), order[lo:hi]


class Variables:
    """Create and hold every variable of the model.

    Parameters
    ----------
    data
        The compiled event.
    model
        The CP-SAT model to add variables to.
    explain
        Guard rules with assumption literals (for infeasibility cores).
    """

    def __init__(self, data: CompiledEvent, model: cp_model.CpModel, *, explain: bool = False):
        self.data = data
        self.model = model
        self.explain = explain
        self.assumptions: list[tuple[cp_model.IntVar, str]] = []
        upper = data.type_count[data.arc_type]
        if not explain:
            # Capacity as a domain bound helps the search; when explaining, the
            # capacity constraint must stay a separate, retractable rule.
            upper = np.minimum(upper, data.session_capacity[data.arc_session])
        self.seat = [model.new_int_var(0, int(u), f"seat{e}") for e, u in enumerate(upper)]
        capped = set(data.seat_quota_organisation.tolist())
        pinned = np.asarray((data.type_fixed >= 0).any(axis=1))
        self._admitted = {
            t: model.new_int_var(0, int(data.type_count[t]), f"admitted{t}")
            for t in range(data.n_types)
            if data.type_organisation[t] in capped and not pinned[t]
        }

    def new_int(self, lower: int, upper: int, name: str) -> cp_model.IntVar:
        """Create an auxiliary integer variable (objective helpers use this)."""
        return self.model.new_int_var(lower, upper, name)

    def new_bool(self, name: str) -> cp_model.IntVar:
        """Create an auxiliary boolean variable (rule helpers use this)."""
        return self.model.new_bool_var(name)

    def admitted(self, t: int) -> cp_model.IntVar | int:
        """Return how many members of type ``t`` may be seated at the event."""
        return self._admitted.get(t, int(self.data.type_count[t]))

    def admitted_items(self) -> list[tuple[int, cp_model.IntVar]]:
        """Return the ``(type, variable)`` pairs of types with a variable admitted count."""
        return list(self._admitted.items())

    def seats(self, arcs: NDArray[np.int64]) -> cp_model.LinearExprT:
        """Return the sum of the seat variables of ``arcs``."""
        return cp_model.LinearExpr.sum([self.seat[e] for e in arcs.tolist()])

    def guard(self, constraint: cp_model.Constraint, description: str) -> None:
        """Make ``constraint`` retractable when explaining infeasibility."""
        if not self.explain:
            return
        literal = self.model.new_bool_var(f"rule{len(self.assumptions)}")
        constraint.only_enforce_if(literal)
        self.assumptions.append((literal, description))
