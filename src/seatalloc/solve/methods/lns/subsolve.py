"""Solve one sub-event in CP-SAT, every rule included.

The sub-event frees some types (and the plan, when asked); the held seats are
constants in its rules (``compile.restrict``). Its objective stages are the
event's, in order, each held at its value before the next. While the seats
still break rules (a start that knows no quotas, minimums not yet reached),
a first stage makes them break as little as possible: with ``relax``, every
rule may be broken at a cost (``model.variables``, as for the smallest fix of
an infeasible event); with a soft minimum only minimum attendance may. The
incumbent's seats are the hint.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent
from seatalloc.compile.data import IntArray
from seatalloc.compile.restrict import free_arcs, restrict
from seatalloc.errors import SeatallocError
from seatalloc.model import Stage, Variables, build_model, stages
from seatalloc.solve.budget import Budget
from seatalloc.solve.methods.cp_sat.search import set_objective
from seatalloc.solve.methods.lns.state import Incumbent
from seatalloc.solve.methods.sat import new_solver, run
from seatalloc.solve.options import SolveOptions

#: Work charged per arc of a sub-event built (building is Python, outside CP-SAT's own count),
#: so a work limit also bounds the model building, deterministically.
BUILD_WORK_PER_ARC = 2e-6
#: Work charged per sub-event whatever its size: a search that keeps failing still ends.
STEP_OVERHEAD = 0.005
#: Work for completing the hint (every seat fixed: propagation alone, as a rule).
HINT_WORK = 0.05
#: While repairing, a broken rule weighs as much as this many seats at their dearest.
BROKEN_WEIGHT = 10


@dataclass(frozen=True)
class Step:
    """What solving one sub-event gave: the new seats (None: no solution in time)."""

    found: Incumbent | None
    proven: bool  # optimal within the sub-event, every stage
    interrupted: bool = False


def solve_sub(
    data: CompiledEvent,
    state: Incumbent,
    free: IntArray,
    options: SolveOptions,
    budget: Budget,
    *,
    plan: bool,
    relax: bool,
    soft: bool,
    work: float,
) -> Step:
    """Solve the types ``free`` (and the plan, when ``plan``) again, the others held."""
    sub = restrict(data, free, state.seats, state.admitted, None if plan else state.open, soft_minimum=soft)
    arcs = free_arcs(data, free)
    budget.spend(STEP_OVERHEAD + BUILD_WORK_PER_ARC * (len(arcs) + len(data.sessions.seminar)))
    model, v = build_model(sub, mode="relax" if relax else "solve", check=budget.check)
    made = stages(sub, model, v, sub.objective_kind, move_cost=sub.move_cost)
    objective = [stage for stage in made if isinstance(stage, Stage)]
    if len(objective) != len(made):  # (its rule family keeps value-leximin from lns)
        raise SeatallocError("internal error: lns cannot make the stages of value-leximin")
    if relax:  # what is broken weighs more than any seat's cost: broken least, then cheapest
        slack = [s for s, _, _ in v.relaxations]
        weight = BROKEN_WEIGHT * (data.unseated_cost + int(data.arcs.cost.max(initial=0)))
        weights = [weight * w for _, w, _ in v.relaxations]
        cost = next(stage for stage in objective if stage.total_cost)
        broken = cp_model.LinearExpr.weighted_sum(slack, weights)
        objective = [Stage("least broken, then cheapest", cp_model.LinearExpr.sum([broken, cost.expr]))]
    elif soft:
        objective.insert(0, Stage("fewest short of minimum", cp_model.LinearExpr.sum(v.shortfall)))
    _hint(model, v, state, free, arcs, plan, options, budget)
    values, proven, interrupted = _solve_stages(model, objective, options, budget, work)
    if values is None:
        return Step(None, False, interrupted)
    found = state.copy()
    _take(found, v, values, free, arcs, plan)
    if not relax:  # their own rules hold (a repair may leave a pin unmet, at a cost)
        found.visited[free] = True
    return Step(found, proven, interrupted)


def _hint(
    model: cp_model.CpModel,
    v: Variables,
    state: Incumbent,
    free: IntArray,
    arcs: IntArray,
    plan: bool,
    options: SolveOptions,
    budget: Budget,
) -> None:
    """Hint the incumbent: its seats, admitted members and plan, and every helper variable.

    CP-SAT rarely completes a partial hint in a short search (the slacks of a
    repair, a mix rule's helpers), so the helpers' values are found first, in a
    copy of the model with the incumbent's values fixed.
    """
    known: list[tuple[cp_model.IntVar, int]] = [
        (var, min(value, upper))
        for var, value, upper in zip(v.seat, state.seats[arcs].tolist(), v.seat_upper, strict=True)
    ]
    known += [(var, int(state.admitted[free[t]])) for t, var in v.admitted_items()]
    if plan and state.open is not None:
        known += [
            (var, int(value))
            for var, value in zip(v.open, state.open.tolist(), strict=True)
            if not isinstance(var, int)
        ]
    fixed = model.clone()
    for var, value in known:
        fixed.add(fixed.get_int_var_from_proto_index(var.index) == value)
    fixed.clear_objective()
    solver = new_solver(budget, seed=options.seed, work=HINT_WORK)
    if run(solver, fixed, budget).status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        hint = model.proto.solution_hint
        hint.vars.extend(range(len(model.proto.variables)))
        hint.values.extend(list(solver.response_proto.solution))
        return
    for var, value in known:  # the incumbent breaks a rule of its own types (not yet visited)
        model.add_hint(var, value)


def _solve_stages(
    model: cp_model.CpModel, objective: list[Stage], options: SolveOptions, budget: Budget, work: float
) -> tuple[IntArray | None, bool, bool]:
    """Optimise the stages in order within ``work`` units; return the last solution's values,
    whether every stage was proven and whether Ctrl-C stopped the search."""
    values: IntArray | None = None
    left = work
    for stage in objective:
        sign = -1 if stage.maximise else 1
        set_objective(model, stage, sign)
        solver = new_solver(budget, seed=options.seed, workers=options.workers, work=max(1e-3, left))
        solver.parameters.linearization_level = 2
        sat = run(solver, model, budget)
        left -= solver.deterministic_time
        if sat.status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return values, False, sat.interrupted
        values = np.asarray(solver.response_proto.solution, dtype=np.int64)
        if sat.status != cp_model.OPTIMAL or sat.interrupted or left <= 0 or budget.stop():
            return values, False, sat.interrupted
        value = sign * round(solver.objective_value)
        model.add(stage.expr == value)
        model.clear_hints()
        hint = model.proto.solution_hint
        hint.vars.extend(range(len(values)))
        hint.values.extend(values.tolist())
    return values, True, False


def _take(
    state: Incumbent, v: Variables, values: IntArray, free: IntArray, arcs: IntArray, plan: bool
) -> None:
    """Write a sub-solution's seats, admitted members and plan into ``state``."""
    state.seats[arcs] = values[[x.index for x in v.seat]] if v.seat else 0
    for t, var in v.admitted_items():
        state.admitted[free[t]] = values[var.index]
    if plan:
        state.open = np.array([x if isinstance(x, int) else values[x.index] for x in v.open], dtype=bool)
