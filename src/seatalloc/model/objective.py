"""Objectives: the rank cost, and lexicographic stages over the rank profile.

Every objective is a list of *stages*, each a linear expression to minimise
with the earlier stages held at their optimum:

- ``rank-cost``: the total cost alone;
- ``rank-maximal``: most first choices, then most second choices, ..., then
  fewest attendee-passes without a seat, then the total cost;
- ``leximin`` (also ``minimax-rank``): fewest unseated, then fewest unranked,
  then fewest at the last rank, ..., up to the second choice; then the total
  cost. This first makes the worst outcome anyone gets as good as possible,
  then minimises how many get it, then the next level;
- ``organisation-parity``: the largest smallest share, over the groups of
  ``parity_attribute``, of attendee-passes given a top choice; then the cost;
- ``value-leximin``: the leximin over the value each attendee gets (``model.values``): its
  stages are :class:`~seatalloc.model.values.Levels`, made one at a time; then the cost.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent
from seatalloc.model.parity import smallest_share
from seatalloc.model.stability import moves, worse_off
from seatalloc.model.stage import Stage, Terms
from seatalloc.model.values import Levels
from seatalloc.model.variables import Variables


def rank_cost_terms(data: CompiledEvent, v: Variables) -> Terms:
    """Return the total cost as arrays.

    Every attendee-pass an attendee wants (all passes, or ``max_sessions`` of
    them) starts unseated (``unseated_cost``); each seat given
    replaces that cost by the arc's cost, so the total is a constant plus
    ``(arc_cost - unseated_cost)`` per seat, each counted as many times as
    its type's weight (``objective.history_weight``); plus the venue move
    cost per member of an itinerary that changes venue.
    """
    indices = np.fromiter((x.index for x in v.seat), dtype=np.int64, count=len(v.seat))
    coeffs = (data.types.weight[data.arcs.type] * (data.arcs.cost - data.unseated_cost)).astype(np.int64)
    constant = data.wanted_weight * data.unseated_cost
    moving = np.flatnonzero(data.types.moves > 0)
    if data.venue_move_cost and len(moving):
        extra_indices, extra_coeffs = [], []
        for u in moving.tolist():
            per_member = int(data.types.moves[u]) * data.venue_move_cost
            admitted = v.admitted(u)
            if isinstance(admitted, int):
                constant += per_member * admitted
            else:
                extra_indices.append(admitted.index)
                extra_coeffs.append(per_member)
        indices = np.concatenate([indices, np.asarray(extra_indices, dtype=np.int64)])
        coeffs = np.concatenate([coeffs, np.asarray(extra_coeffs, dtype=np.int64)])
    return Terms(indices, coeffs, int(constant))


def rank_cost(data: CompiledEvent, v: Variables) -> cp_model.LinearExprT:
    """Return the total cost as an expression (see :func:`rank_cost_terms`)."""
    base = data.wanted_weight * data.unseated_cost
    weights = (data.types.weight[data.arcs.type] * (data.arcs.cost - data.unseated_cost)).tolist()
    total = cp_model.LinearExpr.weighted_sum(v.seat, weights) + base
    moving = np.flatnonzero(data.types.moves > 0)
    if data.venue_move_cost and len(moving):
        per_member = (data.types.moves[moving] * data.venue_move_cost).tolist()
        total += cp_model.LinearExpr.weighted_sum([v.admitted(int(u)) for u in moving], per_member)
    return total


def outcome_counts(data: CompiledEvent, v: Variables) -> list[tuple[str, cp_model.LinearExpr]]:
    """Return attendee-passes per outcome, best first: '1', '2', ..., 'unranked', 'unseated'."""
    ranks = int(data.arcs.rank.max(initial=-1)) + 1
    counts = [(str(r + 1), v.seats(np.flatnonzero(data.arcs.rank == r))) for r in range(ranks)]
    counts.append(("unranked", v.seats(np.flatnonzero(data.arcs.rank < 0))))
    seated = v.seats(np.arange(len(v.seat)))
    counts.append(("unseated", data.wanted - seated))
    return counts


def stages(
    data: CompiledEvent,
    model: cp_model.CpModel,
    v: Variables,
    kind: str,
    *,
    move_cost: int | None = None,
) -> list[Stage | Levels]:
    """Return the stages of objective ``kind``, to be optimised in order.

    When attendees have different priority classes, a last stage breaks ties:
    among allocations optimal in every earlier stage, the cost weighted by
    priority class is least, so higher classes get the better outcomes.

    Stages come first when they apply: when the event admits attendees, the
    most admitted (when re-solving, first the most of those admitted in the
    published allocation); when re-solving, the fewest attendee-passes worse
    off than published, then, without a ``move_cost``, the fewest moves (so
    nobody moves for a better rank alone). With a ``move_cost`` the total-
    cost stage pays it per move instead.
    """
    main: list[Stage | Levels] = list(_main_stages(data, model, v, kind))
    if len(np.unique(data.types.priority)) > 1:
        main.append(Stage("priority tie-break", _priority_cost(data, v)))
    first: list[Stage | Levels] = []
    if data.admits:
        if data.resolving:
            kept = np.flatnonzero((data.types.previous >= 0).any(axis=1)).tolist()
            again = cp_model.LinearExpr.sum([v.admitted(t) for t in kept])
            first.append(Stage("most admitted of those published", again, maximise=True))
        admitted = cp_model.LinearExpr.sum([v.admitted(t) for t in range(data.n_types)])
        first.append(Stage("most admitted", admitted, maximise=True))
    if data.resolving:
        first.append(Stage("fewest worse off than published", worse_off(data, v)))
    if data.resolving and move_cost is None:
        first.append(Stage("fewest moves", moves(data, v)))
    elif data.resolving and move_cost:
        main = [
            replace(
                s,
                name="rank cost + moves",
                expr=cp_model.LinearExpr.sum([s.expr, move_cost * moves(data, v)]),
                terms=None,
            )
            if isinstance(s, Stage) and s.total_cost
            else s
            for s in main
        ]
    return first + main


def _priority_cost(data: CompiledEvent, v: Variables) -> cp_model.LinearExprT:
    weight = 1 + data.types.priority - data.types.priority.min()
    weights = (weight[data.arcs.type] * (data.arcs.cost - data.unseated_cost)).tolist()
    return cp_model.LinearExpr.weighted_sum(v.seat, weights)


def _main_stages(
    data: CompiledEvent, model: cp_model.CpModel, v: Variables, kind: str
) -> list[Stage | Levels]:
    cost = Stage("rank cost", rank_cost(data, v), total_cost=True, terms=rank_cost_terms(data, v))
    if kind == "rank-cost":
        return [cost]
    if kind == "value-leximin":
        return [Levels(data, model, v), cost]
    if kind == "organisation-parity":
        share = smallest_share(data, model, v)
        return [Stage("smallest group share (ppm)", share, maximise=True), cost]
    counts = outcome_counts(data, v)
    if kind == "rank-maximal":
        ranked = [Stage(f"most at choice {label}", expr, maximise=True) for label, expr in counts[:-2]]
        return [*ranked, Stage("fewest unseated", counts[-1][1]), cost]
    if kind in ("leximin", "minimax-rank"):
        worst_first = [
            Stage(f"fewest at choice {label}" if label.isdigit() else f"fewest {label}", expr)
            for label, expr in reversed(counts[1:])
        ]
        return [*worst_first, cost]
    raise ValueError(f"unknown objective kind {kind!r}")
