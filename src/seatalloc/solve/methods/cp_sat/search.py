"""Solve a list of objective stages lexicographically with CP-SAT.

Each stage is optimised with the earlier ones held at their optimum. The
previous stage's solution is not given as a hint: measured on S1, CP-SAT then
spends most of each stage improving the hint one step at a time (leximin 1.8 s
with hints, 0.8 s without). All stages share one budget; when it runs out,
the best allocation found so far is returned as ``feasible``, with the
stages that were proven listed as such.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from seatalloc.errors import SeatallocError
from seatalloc.model import Levels, Stage
from seatalloc.schema.allocation import StageResult, Status
from seatalloc.solve.budget import Budget, Stop, said
from seatalloc.solve.methods.sat import new_solver, run
from seatalloc.solve.options import Progress, SolveOptions


@dataclass(frozen=True)
class StagedSolution:
    """The outcome of all stages: status, last solution values and per-stage results."""

    status: Status
    values: NDArray[np.int64] | None
    cost_bound: int | None
    stages: tuple[StageResult, ...]
    stop: Stop | None = None
    note: str | None = None
    first: float | None = None  # when (time.perf_counter) CP-SAT found its first allocation


def solve_stages(
    model: cp_model.CpModel, stages: list[Stage | Levels], options: SolveOptions, budget: Budget
) -> StagedSolution:
    """Optimise ``stages`` in order within ``budget``; the bound reported is the total-cost stage's.

    :class:`~seatalloc.model.Levels` stand for stages made one at a time, each from the solution
    of the stage before, until they say no more.

    ``options.progress(stage, seconds, best, bound)`` is called on every
    better solution and bound. Ctrl-C stops the search: the best solution
    found so far is kept and ``stop`` is ``interrupted``.
    """
    values: NDArray[np.int64] | None = None
    results: list[StageResult] = []
    cost_bound: int | None = None
    status: Status = "optimal"
    stop: Stop | None = None
    note: str | None = None
    first: float | None = None
    queue = list(stages)
    while queue:
        stage = queue.pop(0)
        if isinstance(stage, Levels):
            made = stage.next(values)
            if made is not None:
                queue[:0] = [made, stage]
            continue
        stop = budget.stop()
        if stop is not None:
            status = "unknown" if values is None else "feasible"
            note = f"{said(stop)} before CP-SAT could search stage {stage.name!r}"
            break
        sign = -1 if stage.maximise else 1
        set_objective(model, stage, sign)
        stop = budget.stop()  # a large objective takes a while to set
        if stop is not None:
            status = "unknown" if values is None else "feasible"
            note = f"{said(stop)} before CP-SAT could search stage {stage.name!r}"
            break
        solver = _solver(budget, options)
        watch = _Watch(options.progress, stage.name, sign, budget.started, cost=stage.total_cost)
        if options.progress is not None:
            solver.best_bound_callback = watch.on_bound
        sat = run(solver, model, budget, watch)
        first = first or watch.first
        code = sat.status
        if code == cp_model.MODEL_INVALID:
            raise SeatallocError(f"internal error: CP-SAT rejected the model at stage {stage.name!r}")
        if code == cp_model.INFEASIBLE:
            # Only the first stage can be infeasible: later ones keep a known solution.
            return StagedSolution("infeasible", None, None, ())
        proven = code == cp_model.OPTIMAL
        if not proven:
            stop = "interrupted" if sat.interrupted else (budget.stop() or "time-limit")
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if stage.total_cost and math.isfinite(solver.best_objective_bound):
                # Costs are never negative: an early bound below 0 says nothing more than 0.
                cost_bound = max(0, math.ceil(solver.best_objective_bound - 1e-6))
            status = "unknown" if values is None else "feasible"
            break
        values = np.asarray(solver.response_proto.solution, dtype=np.int64)
        value = sign * round(solver.objective_value)
        bound = sign * math.ceil(solver.best_objective_bound - 1e-6)
        results.append(
            StageResult(name=stage.name, status="optimal" if proven else "feasible", value=value, bound=bound)
        )
        if stage.total_cost:
            cost_bound = bound
        if not proven:
            status = "feasible"
            break
        model.add(stage.expr == value)
    if status == "unknown" and note is None:
        note = f"{said(stop)} before CP-SAT found an allocation"
    return StagedSolution(status, values, cost_bound, tuple(results), stop, note, first)


def set_objective(model: cp_model.CpModel, stage: Stage, sign: int) -> None:
    """Minimise ``sign * stage``: from its arrays when it has them (fast), else from its expression."""
    if stage.terms is None:
        model.minimize(sign * stage.expr)
        return
    model.clear_objective()
    objective = model.proto.objective
    objective.vars.extend(stage.terms.indices.tolist())
    objective.coeffs.extend((sign * stage.terms.coeffs).tolist())
    objective.offset = float(sign * stage.terms.constant)


class _Watch(cp_model.CpSolverSolutionCallback):
    """Note when one stage's first solution came; report each better solution and bound to
    ``progress`` (when given). A total ``cost`` is never below 0, whatever CP-SAT's bound says
    before its search has begun."""

    def __init__(self, progress: Progress | None, stage: str, sign: int, started: float, *, cost: bool):
        super().__init__()
        self.progress, self.stage, self.sign, self.started = progress, stage, sign, started
        self.floor = 0.0 if cost else -math.inf
        self.bound: float | None = None
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        now = time.perf_counter()
        self.first = self.first or now
        if self.progress is None:
            return
        self.bound = max(self.floor, self.sign * self.best_objective_bound)
        best = self.sign * self.objective_value
        self.progress(self.stage, now - self.started, best, self.bound)

    def on_bound(self, bound: float) -> None:
        self.bound = max(self.floor, self.sign * bound)
        assert self.progress is not None  # (set as the bound callback only with progress)
        self.progress(self.stage, time.perf_counter() - self.started, None, self.bound)


def _solver(budget: Budget, options: SolveOptions) -> cp_model.CpSolver:
    solver = new_solver(budget, seed=options.seed, workers=options.workers)
    # The LP relaxation of the type model is tight; level 2 puts all of it in
    # the LP, which proves S1 optimal in well under a second (CP-SAT's
    # defaults leave it 65 % from the bound after 30 s).
    solver.parameters.linearization_level = 2
    solver.parameters.add_lp_constraints_lazily = False
    # Presolve finds little in this model and costs more than the search.
    solver.parameters.cp_model_presolve = False
    return solver
