"""The CP-SAT method: the type model, exact, for every rule family.

Builds the model of ``seatalloc.model`` (one module per rule family), solves
its objective stages in order (``search``) and, when the event is
infeasible, names the conflicting rules and the smallest fix with what is
left of the budget (``conflicts``). Building a very large model takes long,
so it looks at the deadline as it goes; it declines events whose model
would not fit in the memory available.
"""

from __future__ import annotations

import time

import numpy as np

from seatalloc.compile import CompiledEvent
from seatalloc.model import Variables, build_model, stages
from seatalloc.model.stability import add_move_limit
from seatalloc.schema.allocation import Rule
from seatalloc.solve import memory
from seatalloc.solve.budget import Budget, OutOfTime
from seatalloc.solve.methods import Outcome
from seatalloc.solve.methods.cp_sat.conflicts import find_conflicts, find_relaxation
from seatalloc.solve.methods.cp_sat.search import StagedSolution, solve_stages
from seatalloc.solve.options import SolveOptions

#: Peak memory of the type model per arc, in bytes (measured: 3.1 to 3.5 KB on catalogues of 10,000 and 20,000
#: unique attendees with a quota, peak memory in python -m benchmarks.deadline).
BYTES_PER_ARC = 3_500
#: The share of the time left for naming conflicts; the smallest fix gets the rest.
CONFLICTS_SHARE = 0.5
#: CP-SAT loads a model before its clock starts: about this share of the time it took to build
#: (measured: 4.9 to 5.3 s after a 38 to 40 s build of 2.4 million seats), held back from its
#: time limit with a margin.
LOADING = 0.25


class CpSat:
    """The type model in CP-SAT: every rule, every objective, proven optimal given time."""

    name = "cp-sat"

    def supports(self, data: CompiledEvent, options: SolveOptions) -> str | None:
        need = BYTES_PER_ARC * len(data.arcs.type)
        have = memory.available_bytes()
        if have is not None and need > have:
            return (
                f"its type model ({len(data.arcs.type):,} arcs) would need about {need / 1e9:.1f} GB "
                f"of memory, and {have / 1e9:.1f} GB is available"
            )
        return None

    def run(self, data: CompiledEvent, options: SolveOptions, budget: Budget) -> Outcome:
        started = time.perf_counter()
        try:
            model, variables = build_model(data, check=budget.check)
            if data.max_moves is not None:
                add_move_limit(data, model, variables, data.max_moves)
            objective = stages(data, model, variables, data.objective_kind, move_cost=data.move_cost)
            budget.check()
            search = budget.before(LOADING * (time.perf_counter() - started))
            staged = solve_stages(model, objective, options, search)
        except OutOfTime as out:
            return Outcome(
                "unknown",
                self.name,
                stop=out.stop,
                note=f"{out}: the CP-SAT model of {len(data.arcs.type):,} arcs was not built",
                seconds=time.perf_counter() - started,
            )
        if staged.status == "infeasible":
            del model, variables  # the conflicts and the fix build models of their own
            conflicts, relaxation = _explain_infeasible(data, options, budget)
            return Outcome(
                "infeasible",
                self.name,
                conflicts=conflicts,
                relaxation=relaxation,
                seconds=time.perf_counter() - started,
            )
        return _outcome(data, staged, variables, budget, time.perf_counter() - started)


def _explain_infeasible(
    data: CompiledEvent, options: SolveOptions, budget: Budget
) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """Name the conflicting rules, then the smallest fix, within what is left of the budget."""
    conflicts = find_conflicts(data, seed=options.seed, budget=budget.share(CONFLICTS_SHARE))
    return conflicts, find_relaxation(data, seed=options.seed, budget=budget)


def _outcome(
    data: CompiledEvent, staged: StagedSolution, v: Variables, budget: Budget, seconds: float
) -> Outcome:
    """Read seats, admitted members and running sessions from the last stage's solution."""
    seats = admitted = is_open = None
    values = staged.values
    if values is not None:
        seats = values[[x.index for x in v.seat]] if v.seat else np.zeros(0, dtype=np.int64)
        admitted = data.types.count.copy()
        for t, var in v.admitted_items():
            admitted[t] = values[var.index]
        is_open = np.array([x if isinstance(x, int) else values[x.index] for x in v.open], dtype=bool)
    return Outcome(
        staged.status,
        "cp-sat",
        seats=seats,
        admitted=admitted,
        open=is_open,
        bound=staged.cost_bound,
        stages=staged.stages,
        stop=staged.stop,
        note=staged.note,
        seconds=seconds,
        first=staged.first if values is not None else None,
    )


METHOD = CpSat()
