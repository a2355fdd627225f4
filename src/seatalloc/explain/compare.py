"""The price of fairness: one event solved under every objective, within one budget."""

from __future__ import annotations

import math
from typing import get_args

from seatalloc.schema.allocation import Allocation
from seatalloc.schema.event import Event
from seatalloc.schema.records import ObjectiveKind
from seatalloc.solve.options import SolveOptions

#: Every objective kind but ``minimax-rank``, the same objective as ``leximin``.
KINDS = tuple(kind for kind in get_args(ObjectiveKind) if kind != "minimax-rank")


def compare_objectives(event: Event, options: SolveOptions | None = None) -> dict[str, Allocation]:
    """Solve ``event`` under every objective kind; return the allocations by kind.

    The options' time and work limits bound the whole comparison: each
    objective gets an equal share of what is left when its turn comes.
    """
    from seatalloc.solve.solver import solve  # the solvers load when a comparison runs

    options = options or SolveOptions()
    budget = options.budget()
    results: dict[str, Allocation] = {}
    for turn, kind in enumerate(KINDS):
        share = 1 / (len(KINDS) - turn)
        seconds, work = budget.seconds_left(), budget.work_left()
        limits = {
            "time_limit": None if math.isinf(seconds) else max(1e-3, share * seconds),
            "work_limit": None if math.isinf(work) else max(1e-6, share * work),
        }
        allocation = solve(event, options.with_(objective=kind, **limits))
        budget.spend(allocation.solver.work if allocation.solver else 0.0)
        results[kind] = allocation
    return results
