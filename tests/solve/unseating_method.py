"""A method for the tests of the seam: it seats nobody, and says so honestly.

It is what a new method's package looks like: ``METHOD`` with ``name``,
``supports`` and ``run``; the rule families it honours come from the one table.
"""

from __future__ import annotations

import numpy as np

from seatalloc.compile import CompiledEvent
from seatalloc.solve.budget import Budget
from seatalloc.solve.methods import Outcome, cost_stage
from seatalloc.solve.methods.families import unsupported
from seatalloc.solve.options import SolveOptions


class Unseating:
    name = "unseating"

    def supports(self, data: CompiledEvent, options: SolveOptions) -> str | None:
        return unsupported(data, self.name)

    def run(self, data: CompiledEvent, options: SolveOptions, budget: Budget) -> Outcome:
        seats = np.zeros(len(data.arcs.type), dtype=np.int64)
        cost = data.wanted * data.unseated_cost
        budget.spend(0.5)
        return Outcome("feasible", self.name, seats=seats, bound=0, stages=(cost_stage(cost, 0),))


METHOD = Unseating()
