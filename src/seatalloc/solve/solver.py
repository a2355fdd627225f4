"""Solve an event exactly with CP-SAT and return an immutable allocation."""

from __future__ import annotations

import logging
import time
from typing import get_args

import numpy as np
from numpy.typing import NDArray

from seatalloc.compile import CompiledEvent, compile_event
from seatalloc.errors import InputError, Problem, SeatallocError
from seatalloc.model import Variables, build_model, stages
from seatalloc.schema.allocation import Allocation, SolverInfo
from seatalloc.schema.event import Event, ObjectiveKind
from seatalloc.solve.conflicts import find_conflicts, find_relaxation
from seatalloc.solve.handout import hand_out
from seatalloc.solve.result import SolvedCounts, build_allocation
from seatalloc.solve.stages import solve_stages

logger = logging.getLogger("seatalloc")


def solve(
    event: Event,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 1,
    objective: str | None = None,
) -> Allocation:
    """Allocate seats to the attendees of ``event``, optimising its objective.

    Parameters
    ----------
    event
        A validated event; it is not modified.
    time_limit
        Seconds CP-SAT may search. When it stops early the allocation is the
        best found, with ``status="feasible"`` and the proven ``bound``.
    seed
        Seed of the search and of the hand-out within groups of
        interchangeable attendees. The same event, seed and ``workers`` give
        the same allocation when the solve ends optimal.
    workers
        CP-SAT search workers. With one worker the search is deterministic.
    objective
        Objective kind overriding ``event.objective.kind``: ``rank-cost``,
        ``rank-maximal``, ``leximin``, ``minimax-rank`` or ``organisation-parity`` (see
        :mod:`seatalloc.model.objective`). Lexicographic kinds are solved in
        stages, each proven optimal given the earlier ones; ``bound`` is then
        the bound on the total cost among allocations optimal in the earlier
        stages, and ``stages`` lists every stage.

    Returns
    -------
    Allocation
        Status, objective, proven bound, gap, every seat and every attendee-
        pass without one (with its reason). An infeasible event gives
        ``status="infeasible"``, ``conflicts`` naming the rules that clash
        and ``relaxation`` the smallest change that would make it feasible.

    Examples
    --------
    >>> allocation = solve(event, time_limit=10, seed=1)  # doctest: +SKIP
    >>> allocation.status, allocation.objective, allocation.bound  # doctest: +SKIP
    ('optimal', 1234, 1234)
    """
    if time_limit <= 0:
        raise SeatallocError(f"time_limit must be > 0, got {time_limit}")
    if workers < 1:
        raise SeatallocError(f"workers must be >= 1, got {workers}")
    kind = objective or event.objective.kind
    if kind not in get_args(ObjectiveKind):
        raise InputError([Problem("objective", "kind", f"unknown objective {kind!r}")])
    started = time.perf_counter()
    data = compile_event(event, kind)
    model, variables = build_model(data)
    staged = solve_stages(
        model,
        stages(data, model, variables, kind),
        time_limit=time_limit,
        seed=seed,
        workers=workers,
    )
    logger.info(
        "solved %d types, %d arcs, objective %s: %s in %.3fs",
        data.n_types,
        len(data.arc_type),
        kind,
        staged.status,
        staged.seconds,
    )
    counts, session, admitted, bound = None, None, None, None
    conflicts: tuple[str, ...] = ()
    relaxation: tuple[str, ...] = ()
    if staged.values is not None:
        counts = _counts(data, staged.values, variables)
        session, admitted = hand_out(data, counts.seats, counts.admitted, seed)
        bound = staged.cost_bound
    elif staged.status == "infeasible":
        conflicts = find_conflicts(data, time_limit=time_limit, seed=seed)
        relaxation = find_relaxation(data, time_limit=time_limit, seed=seed)
    allocation = build_allocation(
        data,
        status=staged.status,
        counts=counts,
        session=session,
        admitted=admitted,
        bound=bound,
    )
    solver_info = SolverInfo(
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        objective=kind,
        wall_time=time.perf_counter() - started,
        solve_time=staged.seconds,
    )
    return allocation.model_copy(
        update={
            "solver": solver_info,
            "stages": staged.stages,
            "conflicts": conflicts,
            "relaxation": relaxation,
        }
    )


def _counts(data: CompiledEvent, values: NDArray[np.int64], v: Variables) -> SolvedCounts:
    seats = values[[x.index for x in v.seat]] if v.seat else np.zeros(0, dtype=np.int64)
    admitted = data.type_count.copy()
    for t, var in v.admitted_items():
        admitted[t] = values[var.index]
    return SolvedCounts(seats=seats, admitted=admitted)
