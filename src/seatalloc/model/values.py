"""The value-leximin objective: the leximin over the value each attendee gets.

An attendee's *value* is what their seats save over going unseated: per place, ``unseated_cost``
minus its cost. With scores and ``unseated_cost`` equal to the highest score, it is the sum of
the scores of the seminars they got. Every type is split by bundle (``compile.bundles``), so each
sub-type's members get the same value, and "members with a value of at least L" is linear: the
sum of the admitted members of the sub-types worth L or more (those left out get 0).

For a finite set of values, the leximin (the lowest value as high as possible, then as few at
it as possible, then the next lowest, ...) is the same as: as many as possible at or above each
value in turn, from the lowest value up. Most of these stages are decided by the ones before, so
the stages are made one at a time: after each, the next stage is the first value above the
lowest value anyone not held below gets in the solution found. At the values skipped, nobody
can be added (the last stage's count is at or above them); a constraint holds them at that
count, so no later stage lowers anyone back among them. Each stage is a count, which the
LP relaxation bounds well; a stage "maximise the lowest value" (a variable with half-reified
limits per value) was tried and was far slower to prove (no proof in 300 s on 26 students).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent, groups
from seatalloc.model.stage import Stage
from seatalloc.model.variables import Variables


def subtype_values(data: CompiledEvent) -> NDArray[np.int64]:
    """Return the value each member of each (sub-)type gets: per seminar of its bundle, the
    unseated cost minus the arc's cost (0 for a type without a bundle)."""
    arc_seminar = data.sessions.seminar[data.arcs.session]
    values = np.zeros(data.n_types, dtype=np.int64)
    for (u, j), arcs in groups(data.arcs.type, arc_seminar):  # (a seminar's sessions cost alike)
        bundle = data.types.bundle[u]
        if bundle is not None and j in bundle:
            values[u] += data.unseated_cost - int(data.arcs.cost[arcs[0]])
    return values


class Levels:
    """The value-leximin stages, made one at a time from the solution of the stage before.

    ``next(solution)`` returns the next stage, "most with value at least L", or None when every
    value is decided. Members left out (admission, ``max_seats``) are worth 0.
    """

    def __init__(self, data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
        self.model = model
        self.value = subtype_values(data)
        first = np.unique(data.types.parent, return_index=True)[1]
        self.members = int(data.types.count[first].sum())
        self.admitted = [v.admitted(u) for u in range(data.n_types)]
        self.levels = sorted({*self.value.tolist(), 0})
        self.last = self.levels[0]  # every member is worth at least this (held by the stages before)

    def next(self, solution: NDArray[np.int64] | None) -> Stage | None:
        """Return the stage "most with value at least L" for the next value L to decide."""
        lowest = self.last
        if solution is not None:
            counts = [n if isinstance(n, int) else int(solution[n.index]) for n in self.admitted]
            got = [int(self.value[u]) for u, n in enumerate(counts) if n > 0 and self.value[u] >= self.last]
            held = sum(n for u, n in enumerate(counts) if self.value[u] >= self.last)
            if sum(counts) < self.members and self.last <= 0:
                got.append(0)  # the members left out
                held += self.members - sum(counts)
            lowest = min(got, default=self.levels[-1])
            if lowest > self.last:  # hold the values skipped: as many at or above them as now
                self.model.add(self._at_least(lowest) >= held)
        above = [level for level in self.levels if level > lowest]
        if not above:
            return None
        self.last = above[0]
        return Stage(f"most with value at least {self.last}", self._at_least(self.last), maximise=True)

    def _at_least(self, level: int) -> cp_model.LinearExprT:
        """The members with a value of at least ``level``."""
        members: list[cp_model.LinearExprT] = [
            n for u, n in enumerate(self.admitted) if self.value[u] >= level
        ]
        if level <= 0:  # the members left out are worth 0
            members.append(self.members - cp_model.LinearExpr.sum(self.admitted))
        return cp_model.LinearExpr.sum(members)
