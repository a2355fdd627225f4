"""A method for the tests of the self-check: it seats every member in their cheapest session of
each pass (each seminar once), whatever the room holds, and calls it optimal (a method with a
bug, as lns once was)."""

from __future__ import annotations

import numpy as np

from seatalloc.compile import CompiledEvent
from seatalloc.solve.budget import Budget
from seatalloc.solve.methods import Outcome, cost_stage
from seatalloc.solve.methods.families import unsupported
from seatalloc.solve.options import SolveOptions


class Overfilling:
    name = "overfilling"

    def supports(self, data: CompiledEvent, options: SolveOptions) -> str | None:
        return unsupported(data, self.name)

    def run(self, data: CompiledEvent, options: SolveOptions, budget: Budget) -> Outcome:
        seats = np.zeros(len(data.arcs.type), dtype=np.int64)
        arc_pass = data.sessions.pass_[data.arcs.session]
        arc_seminar = data.sessions.seminar[data.arcs.session]
        taken: set[tuple[int, int]] = set()  # (type, pass) seated
        had: set[tuple[int, int]] = set()  # (type, seminar) given
        for e in np.argsort(data.arcs.cost, kind="stable").tolist():
            t = int(data.arcs.type[e])
            key, seminar = (t, int(arc_pass[e])), (t, int(arc_seminar[e]))
            if key not in taken and seminar not in had:
                taken.add(key)
                had.add(seminar)
                seats[e] = data.types.count[t]
        cost = int(seats @ data.arcs.cost) + data.unseated_cost * (data.wanted - int(seats.sum()))
        return Outcome("optimal", self.name, seats=seats, bound=cost, stages=(cost_stage(cost, cost),))


METHOD = Overfilling()
