"""Solve an event exactly with CP-SAT and return an immutable allocation."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal, get_args

import numpy as np
from numpy.typing import NDArray

from seatalloc.compile import CompiledEvent, compile_event
from seatalloc.compile.admission import AdmissionPlan, plan_admission
from seatalloc.errors import InputError, Problem, SeatallocError
from seatalloc.model import Variables, build_model, stages
from seatalloc.model.stability import add_move_limit
from seatalloc.schema.allocation import Allocation, SolverInfo, StageResult
from seatalloc.schema.event import Event, ObjectiveKind
from seatalloc.solve.conflicts import find_conflicts, find_relaxation
from seatalloc.solve.flow import solve_flow, why_not
from seatalloc.solve.handout import hand_out
from seatalloc.solve.result import SolvedCounts, build_allocation
from seatalloc.solve.stages import Progress, StagedSolution, solve_stages

logger = logging.getLogger("seatalloc")

#: How an event is solved: ``auto`` picks the flow method where it applies.
Method = Literal["auto", "cp-sat", "flow"]

#: Largest type model (arcs) that ``auto`` hands to CP-SAT when the flow
#: method's first steps stop short of its bound. Beyond it the flow method's
#: seat prices and neighbourhoods do better (measured: on 120,000 arcs CP-SAT
#: improved neither the seats nor the bound in 90 s).
CP_SAT_ARCS = 50_000
#: The share of the time limit the flow method may spend when CP-SAT may follow.
FLOW_SHARE = 0.05


def solve(
    event: Event,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 1,
    objective: str | None = None,
    as_of: date | None = None,
    progress: Progress | None = None,
    method: Method = "auto",
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
    as_of
        For an event that admits attendees (seat limit, reserves, deadline or
        admission rule): solve as of the end of this day, overriding
        ``event.admission.as_of`` (default: the day of the last registration).
        See :mod:`seatalloc.compile.admission`.
    progress
        Called as ``progress(stage, seconds, best, bound)`` on every better
        solution or bound, for a progress display. Ctrl-C during the search
        stops it and returns the best allocation found (``status="feasible"``,
        ``solver.interrupted``).
    method
        ``cp-sat``: the type model (every rule). ``flow``: for plain events
        (the rank cost and room capacities, with needs and pins; see
        :mod:`seatalloc.solve.flow`), min-cost flows with a proven bound,
        then seat prices and CP-SAT neighbourhoods while a gap remains; in
        seconds at 100,000 unique attendees; an input error names the rules
        that keep it from applying. ``auto`` (default): the flow method
        where it applies (on a small type model, its first steps and then
        CP-SAT, keeping the better); CP-SAT otherwise.

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
    kind = checked_kind(event, objective, time_limit, workers)
    if method not in get_args(Method):
        raise InputError([Problem("solve", "method", f"unknown method {method!r}")])
    started = time.perf_counter()
    run = run_model(
        event,
        kind,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        as_of=as_of,
        progress=progress,
        method=method,
    )
    return finish(event, run, kind, time_limit=time_limit, seed=seed, workers=workers, started=started)


def checked_kind(event: Event, objective: str | None, time_limit: float, workers: int) -> str:
    """Check the solve parameters; return the objective kind to solve."""
    if time_limit <= 0:
        raise SeatallocError(f"time_limit must be > 0, got {time_limit}")
    if workers < 1:
        raise SeatallocError(f"workers must be >= 1, got {workers}")
    kind = objective or event.objective.kind
    if kind not in get_args(ObjectiveKind):
        raise InputError([Problem("objective", "kind", f"unknown objective {kind!r}")])
    return kind


@dataclass(frozen=True)
class Run:
    """The last model solved for an event: its data, stages, admission plan and how it was solved."""

    data: CompiledEvent
    staged: StagedSolution
    plan: AdmissionPlan | None
    counts: SolvedCounts | None
    max_moves: int | None = None
    method: str = "cp-sat"


#: Rounds of admission: when the model cannot seat some chosen attendees,
#: they are barred and their seats offered to the next in the queue.
ADMISSION_ROUNDS = 5


def run_model(
    event: Event,
    kind: str,
    *,
    time_limit: float,
    seed: int,
    workers: int,
    as_of: date | None = None,
    keep: frozenset[str] = frozenset(),
    previous: NDArray[np.int64] | None = None,
    move_cost: int | None = None,
    max_moves: int | None = None,
    progress: Progress | None = None,
    method: Method = "cp-sat",
) -> Run:
    """Apply the admission rule, build and solve the model; repeat while chosen attendees cannot be seated."""
    started = time.perf_counter()
    barred: frozenset[int] = frozenset()
    plan = plan_admission(event, seed=seed, as_of=as_of, keep=keep) if event.admits else None
    for _ in range(ADMISSION_ROUNDS):
        data = compile_event(event, kind, plan=plan, previous=previous)
        if method != "cp-sat":
            reason = why_not(data, kind) if max_moves is None else "a move limit"
            if reason is None:
                run = _run_flow(data, kind, method, time_limit, seed, workers, progress)
                if isinstance(run, Run):
                    return run
                reason = run
            if method == "flow":
                raise InputError([Problem("solve", "method", f"the flow method does not apply: {reason}")])
        model, variables = build_model(data)
        if max_moves is not None:
            add_move_limit(data, model, variables, max_moves)
        left = max(1e-3, time_limit - (time.perf_counter() - started))
        staged = solve_stages(
            model,
            stages(data, model, variables, kind, move_cost=move_cost),
            time_limit=left,
            seed=seed,
            workers=workers,
            progress=progress,
        )
        logger.info(
            "solved %d types, %d arcs, objective %s: %s in %.3fs",
            data.n_types,
            len(data.arc_type),
            kind,
            staged.status,
            staged.seconds,
        )
        counts = None if staged.values is None else _counts(data, staged.values, variables)
        if plan is None or counts is None or staged.interrupted:
            break
        unseatable = _unseatable(data, counts.admitted)
        if not unseatable:
            break
        barred |= unseatable
        plan = plan_admission(event, seed=seed, as_of=as_of, keep=keep, barred=barred)
    return Run(data, staged, plan, counts, max_moves)


def _run_flow(
    data: CompiledEvent,
    kind: str,
    method: Method,
    time_limit: float,
    seed: int,
    workers: int,
    progress: Progress | None,
) -> Run | str:
    """Solve a plain event by the flow method; under ``auto``, let CP-SAT close a gap on small models.

    Returns why not instead when the flow method cannot honour the event.

    The flow's seats are not given to CP-SAT as a hint: it then spends its
    time improving the hint step by step (measured on a catalogue of 2,000
    whose seminars run in 2 of 4 passes: 33 s with the hint, 7 s without).
    """
    then_cp_sat = method == "auto" and len(data.arc_type) <= CP_SAT_ARCS
    budget = time_limit * FLOW_SHARE if then_cp_sat else time_limit
    flow = solve_flow(data, seed=seed, time_limit=budget, progress=progress)
    if isinstance(flow, str):
        return flow
    counts = SolvedCounts(flow.seats, data.type_count.copy(), np.ones(len(data.session_seminar), dtype=bool))
    stage = StageResult(
        name="rank cost",
        status="optimal" if flow.optimal else "feasible",
        value=flow.objective,
        bound=flow.bound,
    )
    staged = StagedSolution(stage.status, None, flow.bound, (stage,), flow.seconds, flow.interrupted)
    left = time_limit - flow.seconds
    if flow.optimal or not then_cp_sat or left <= 0 or flow.interrupted:
        return Run(data, staged, None, counts, method="flow")
    model, variables = build_model(data)
    hinted = solve_stages(
        model,
        stages(data, model, variables, kind),
        time_limit=left,
        seed=seed,
        workers=workers,
        progress=progress,
    )
    bound = max(flow.bound, hinted.cost_bound if hinted.cost_bound is not None else flow.bound)
    better = hinted.values is not None and hinted.stages[-1].value <= flow.objective
    value = hinted.stages[-1].value if better else flow.objective
    stage = StageResult(
        name=stage.name, status="optimal" if value == bound else "feasible", value=value, bound=bound
    )
    seconds = flow.seconds + hinted.seconds
    staged = StagedSolution(stage.status, hinted.values, bound, (stage,), seconds, hinted.interrupted)
    if better and hinted.values is not None:
        counts = _counts(data, hinted.values, variables)
    return Run(data, staged, None, counts, method="flow+cp-sat")


def _unseatable(data: CompiledEvent, admitted: NDArray[np.int64]) -> frozenset[int]:
    """Return attendees the rule chose but the model could not seat (last in order within a type)."""
    out: set[int] = set()
    for t in np.flatnonzero(admitted < data.type_chosen).tolist():
        members = data.type_members[data.type_start[t] : data.type_start[t + 1]]
        members = members[np.argsort(data.admission_rank[members], kind="stable")]
        out.update(members[int(admitted[t]) : int(data.type_chosen[t])].tolist())
    return frozenset(out)


def finish(
    event: Event,
    run: Run,
    kind: str,
    *,
    time_limit: float,
    seed: int,
    workers: int,
    started: float,
    extra_cost: int = 0,
) -> Allocation:
    """Hand out the seats of a finished run and assemble the allocation."""
    data, staged = run.data, run.staged
    session, admitted, bound = None, None, None
    conflicts: tuple[str, ...] = ()
    relaxation: tuple[str, ...] = ()
    counts = run.counts
    if counts is not None:
        data, running = settle(data, counts.open)
        counts = replace(counts, open=running)
        session, admitted, member_type = hand_out(data, counts.seats, counts.admitted, seed)
        data = replace(data, attendee_type=member_type)
        bound = staged.cost_bound
    elif staged.status == "infeasible":
        conflicts = find_conflicts(data, time_limit=time_limit, seed=seed, max_moves=run.max_moves)
        relaxation = find_relaxation(data, time_limit=time_limit, seed=seed, max_moves=run.max_moves)
    allocation = build_allocation(
        data,
        status=staged.status,
        counts=counts,
        session=session,
        admitted=admitted,
        bound=bound,
        plan=run.plan,
        extra_cost=extra_cost,
    )
    solver_info = SolverInfo(
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        objective=kind,
        method=run.method,
        wall_time=time.perf_counter() - started,
        solve_time=staged.seconds,
        interrupted=staged.interrupted,
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
    is_open = np.array([x if isinstance(x, int) else values[x.index] for x in v.open], dtype=bool)
    return SolvedCounts(seats=seats, admitted=admitted, open=is_open)


def settle(data: CompiledEvent, candidate_open: NDArray[np.bool_]) -> tuple[CompiledEvent, NDArray[np.bool_]]:
    """Return ``data`` with each planned session's chosen room, and which sessions run."""
    if not data.planned:
        return data, np.ones(len(data.session_seminar), dtype=bool)
    chosen = np.flatnonzero(candidate_open)
    slots = data.candidate_slot[chosen]
    room, capacity = data.session_room.copy(), data.session_capacity.copy()
    room[slots], capacity[slots] = data.candidate_room[chosen], data.candidate_capacity[chosen]
    running = np.zeros(len(data.session_seminar), dtype=bool)
    running[slots] = True
    return replace(data, session_room=room, session_capacity=capacity), running
