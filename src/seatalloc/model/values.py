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
lowest value anyone gets in the solution found (at the values between, nobody can be added:
they are held at the count of the last stage).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent
from seatalloc.model.stage import Stage
from seatalloc.model.variables import Variables


def subtype_values(data: CompiledEvent) -> NDArray[np.int64]:
    """Return the value each member of each (sub-)type gets: per seminar of its bundle, the
    unseated cost minus the arc's cost (0 for a type without a bundle)."""
    values = np.zeros(data.n_types, dtype=np.int64)
    arc_seminar = data.sessions.seminar[data.arcs.session]
    seen: set[tuple[int, int]] = set()
    for e, (u, j) in enumerate(zip(data.arcs.type.tolist(), arc_seminar.tolist(), strict=True)):
        bundle = data.types.bundle[u]
        if bundle is not None and j in bundle and (u, j) not in seen:
            seen.add((u, j))
            values[u] += data.unseated_cost - int(data.arcs.cost[e])
    return values


class Levels:
    """The value-leximin stages, made one at a time from the solution of the stage before.

    ``next(solution)`` returns the next stage, or None when every value is decided.
    """

    def __init__(self, data: CompiledEvent, v: Variables) -> None:
        self.v = v
        self.value = subtype_values(data)
        self.admitted = [v.admitted(u) for u in range(data.n_types)]
        levels = set(self.value.tolist())
        if data.admits or (data.types.max_sessions == 0).any():
            levels.add(0)  # those left out, or with no place, get nothing
        self.levels = sorted(levels)
        self.last = self.levels[0]  # members at or above it: all (held by the stages before)

    def next(self, solution: NDArray[np.int64] | None) -> Stage | None:
        """Return the stage "most with a value of at least L" for the next value L to decide."""
        if solution is None:
            lowest = self.last
        else:
            got = [
                int(self.value[u])
                for u, n in enumerate(self.admitted)
                if (n if isinstance(n, int) else int(solution[n.index])) > 0 and self.value[u] >= self.last
            ]
            lowest = min(got, default=self.levels[-1])
        above = [level for level in self.levels if level > lowest]
        if not above:
            return None
        self.last = above[0]
        members = [n for u, n in enumerate(self.admitted) if self.value[u] >= self.last]
        return Stage(f"most with value at least {self.last}", cp_model.LinearExpr.sum(members), maximise=True)
