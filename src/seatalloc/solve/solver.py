"""Solve an event: admission, compile, a method within one budget, the hand-out, the allocation.

The time limit bounds the whole call, from entry to the returned allocation:
one :class:`~seatalloc.solve.budget.Budget` is made when the call starts and
every step takes what it may spend from it. Methods stop early enough to
leave the seats' hand-out, the allocation and its check their time
(:func:`finish_reserve`). The guards (:mod:`seatalloc.solve.guards`) check the
allocation before it is returned and answer an event too large for the memory.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import numpy as np
from numpy.typing import NDArray

from seatalloc.compile import CompiledEvent, compile_event
from seatalloc.compile.admission import AdmissionPlan, plan_admission
from seatalloc.errors import InputError, Problem
from seatalloc.schema.allocation import Allocation, SolverInfo
from seatalloc.schema.event import Event
from seatalloc.solve.budget import Budget, OutOfTime
from seatalloc.solve.certificate import certificate_of
from seatalloc.solve.guards import verified, within_memory
from seatalloc.solve.handout import hand_out
from seatalloc.solve.methods import NotApplicable, Outcome, get_method
from seatalloc.solve.methods.auto import run_auto
from seatalloc.solve.methods.proof import certified
from seatalloc.solve.options import Progress, SolveOptions, make_options
from seatalloc.solve.registry import method_names
from seatalloc.solve.result import build_allocation, no_allocation
from seatalloc.version import __version__

logger = logging.getLogger("seatalloc")

#: Rounds of admission: when the model cannot seat some chosen attendees,
#: they are barred and their seats offered to the next in the queue.
ADMISSION_ROUNDS = 5
#: Seconds per attendee-pass that the work after the methods takes: the hand-out and the allocation,
#: its check, and for the command writing it and the summary (measured on catalogues of 100,000
#: unique attendees in 4 passes, after a 10 s search: 11 to 14 µs in all, of which the check 5 to 7,
#: the hand-out and the allocation 3, the summary 2.5, writing 1); and the most of the time limit
#: held back for it. Beyond that share the methods stop at once and the allocation is ``unknown``:
#: a limit too short for the event's size is overrun by its finish, never by the search.
FINISH_PER_PLACE = 1.4e-5
FINISH_SHARE = 0.9


def solve(
    event: Event,
    options: SolveOptions | None = None,
    *,
    time_limit: float | None = None,
    work_limit: float | None = None,
    seed: int | None = None,
    workers: int | None = None,
    objective: str | None = None,
    as_of: date | None = None,
    progress: Progress | None = None,
    method: str | None = None,
) -> Allocation:
    """Allocate seats to the attendees of ``event``, optimising its objective.

    Parameters
    ----------
    event
        A validated event; it is not modified.
    options
        How to solve (:class:`~seatalloc.solve.options.SolveOptions`). The
        keyword arguments below, when given, override its fields.
    time_limit
        Seconds the whole call may take (default 30, or none with a
        ``work_limit``). When it stops the search, the allocation is the best
        found, ``status="feasible"`` with the proven ``bound``, or
        ``status="unknown"`` with none.
    work_limit
        Deterministic work the search may do: the same event, seed and work
        limit give the same allocation on any machine, however fast or busy.
    seed
        Seed of the search, the lottery and the hand-out within groups of
        interchangeable attendees.
    workers
        CP-SAT search workers (default 1).
    objective
        Objective kind overriding ``event.objective.kind``: ``rank-cost``,
        ``rank-maximal``, ``leximin``, ``minimax-rank``, ``organisation-parity`` or ``value-leximin`` (see
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
        solution or bound. Ctrl-C during the search stops it and returns the
        best allocation found (``solver.stop == "interrupted"``).
    method
        ``auto`` (default): the methods that apply, composed (see
        :mod:`seatalloc.solve.methods.auto`); or a registered method:
        ``cp-sat`` (the type model, every rule) or ``flow`` (plain events,
        any size). A method that cannot honour the event is an input error
        naming the rules it does not.

    Returns
    -------
    Allocation
        Status, objective, proven bound, gap, every seat and every attendee-
        pass without one (with its reason). An infeasible event gives
        ``status="infeasible"``, ``conflicts`` naming the rules that clash
        and ``relaxation`` the smallest change that would make it feasible.

    Raises
    ------
    InputError
        An option is out of range, or the method asked for cannot honour the event.

    Examples
    --------
    >>> allocation = solve(event, time_limit=10, seed=1)  # doctest: +SKIP
    >>> allocation.status, allocation.objective, allocation.bound  # doctest: +SKIP
    ('optimal', 1234, 1234)
    """
    options = make_options(
        options,
        time_limit=time_limit,
        work_limit=work_limit,
        seed=seed,
        workers=workers,
        objective=objective,
        as_of=as_of,
        progress=progress,
        method=method,
    )
    budget = options.budget()

    def work() -> Allocation:
        run = run_event(event, options, budget)
        return verified(event, finish(event, run, options, budget), run.plan)

    return within_memory(event, work, unsolved(event, options, budget))


def unsolved(event: Event, options: SolveOptions, budget: Budget) -> Callable[[str], Allocation]:
    """Return what makes the allocation without seats of this call, ``unknown``, with a note."""

    def empty(note: str) -> Allocation:
        return finish(event, Run(None, None, Outcome("unknown", options.method, note=note)), options, budget)

    return empty


def load_methods(options: SolveOptions) -> None:
    """Import the methods a solve with ``options`` may run (``auto``: every registered method), for
    a process that would rather load them all now than on first use (a benchmark timing what
    follows; a solve pauses its clock while it loads a method, ``Budget.paused``)."""
    for name in method_names() if options.method == "auto" else (options.method,):
        get_method(name)


@dataclass(frozen=True)
class Resolution:
    """What a re-solve keeps of a published allocation (see :func:`seatalloc.solve.resolve`)."""

    keep: frozenset[str]  # attendees admitted before
    previous: NDArray[np.int64]  # [N, P] published candidate session, -1 none
    move_cost: int | None = None
    max_moves: int | None = None
    stays: NDArray[np.bool_] | None = None  # [N] keeps every published seat (confirmed), a rule


@dataclass(frozen=True)
class Run:
    """The last compiled event (None when compiling was cut short), its admission plan and outcome."""

    data: CompiledEvent | None
    plan: AdmissionPlan | None
    outcome: Outcome


def run_event(
    event: Event, options: SolveOptions, budget: Budget, resolution: Resolution | None = None
) -> Run:
    """Apply the admission rule, compile and solve; repeat while chosen attendees cannot be seated."""
    keep = resolution.keep if resolution else frozenset()
    barred: frozenset[int] = frozenset()

    def admit() -> AdmissionPlan | None:
        if not event.admits:
            return None
        return plan_admission(event, seed=options.seed, as_of=options.as_of, keep=keep, barred=barred)

    plan = admit()
    reserve = finish_reserve(event, options)
    methods = budget.before(reserve)
    run = Run(None, plan, Outcome("unknown", options.method))
    for _ in range(ADMISSION_ROUNDS):
        try:
            data = compile_event(
                event,
                options.objective,
                plan=plan,
                previous=None if resolution is None else resolution.previous,
                stays=None if resolution is None else resolution.stays,
                move_cost=None if resolution is None else resolution.move_cost,
                max_moves=None if resolution is None else resolution.max_moves,
                check=methods.check,
            )
        except OutOfTime as out:
            if run.outcome.seats is not None:  # an earlier round's allocation stands
                return run
            note = f"{out} while the event was compiled"
            if reserve >= 1:  # (a limit short for the event's size: say where it went)
                places = len(event.attendees) * len(event.passes)
                note += (
                    f" ({reserve:.0f} s of the limit are held back for handing out, checking and "
                    f"writing the seats of {places:,} attendee-passes)"
                )
            return Run(None, plan, Outcome("unknown", options.method, stop=out.stop, note=note))
        outcome = dispatch(options.method, data, options, methods)
        if outcome.seats is None and run.outcome.seats is not None:
            return run  # the budget ran out in this round: the last allocation stands
        run = Run(data, plan, outcome)
        logger.info(
            "solved %d types, %d arcs, objective %s by %s: %s in %.3fs",
            data.n_types,
            len(data.arcs.type),
            data.objective_kind,
            outcome.method,
            outcome.status,
            outcome.seconds,
        )
        if plan is None or outcome.seats is None or outcome.stop == "interrupted":
            break
        unseatable = _unseatable(data, outcome.counts(data)[1])
        if not unseatable:
            break
        barred |= unseatable
        plan = admit()
    if run.data is not None:  # prices a third party can check, where the method stated none
        run = replace(run, outcome=certified(run.data, run.outcome, methods))
    return run


def finish_reserve(event: Event, options: SolveOptions) -> float:
    """Return the seconds held back from the methods for the hand-out and the allocation."""
    places = len(event.attendees) * len(event.passes)
    seconds = options.seconds
    return 0.0 if seconds is None else min(FINISH_SHARE * seconds, FINISH_PER_PLACE * places)


def dispatch(name: str, data: CompiledEvent, options: SolveOptions, budget: Budget) -> Outcome:
    """Run the method ``name`` (or the ``auto`` policy) on ``data`` within ``budget``."""
    if name == "auto":
        return run_auto(data, options, budget)
    method = get_method(name, budget)
    why = method.supports(data, options)
    try:
        if why is None:
            return method.run(data, options, budget)
    except NotApplicable as reason:
        why = str(reason)
    raise InputError(
        [Problem("options", "method", f"the {name} method does not apply: {why}")], "solve options"
    )


def _unseatable(data: CompiledEvent, admitted: NDArray[np.int64]) -> frozenset[int]:
    """Return attendees the rule chose but the model could not seat (last in order within a type)."""
    out: set[int] = set()
    members = data.members
    parent = data.types.parent  # (sub-types by run share their base type's members)
    got = np.bincount(parent, weights=admitted, minlength=data.n_base_types).astype(np.int64)
    chosen = np.zeros(data.n_base_types, dtype=np.int64)
    chosen[parent] = data.types.chosen
    for t in np.flatnonzero(got < chosen).tolist():
        mine = members.grouped[members.start[t] : members.start[t + 1]]
        mine = mine[np.argsort(members.admission_rank[mine], kind="stable")]
        out.update(mine[int(got[t]) : int(chosen[t])].tolist())
    return frozenset(out)


def finish(
    event: Event, run: Run, options: SolveOptions, budget: Budget, *, extra_cost: int = 0
) -> Allocation:
    """Hand out the seats of a finished run and assemble the allocation."""
    data, outcome = run.data, run.outcome
    if data is not None and outcome.seats is not None:
        seats, admitted, is_open = outcome.counts(data)
        compiled = data  # (the certificate's indices: before settling)
        data, running = settle(data, is_open)
        session, seated, member_type = hand_out(data, seats, admitted, options.seed)
        data = replace(data, members=replace(data.members, type=member_type))
        allocation = build_allocation(
            data,
            status=outcome.status,
            seats=seats,
            admitted=admitted,
            running=running,
            session=session,
            seated=seated,
            bound=outcome.bound,
            plan=run.plan,
            extra_cost=extra_cost,
        )
        if outcome.prices is not None and not event.planned:
            allocation = allocation.model_copy(
                update={"certificate": certificate_of(event, compiled, outcome.prices)}
            )
    else:
        reason = (
            "the event is infeasible: see conflicts"
            if outcome.status == "infeasible"
            else f"no allocation was found: {outcome.note or 'the time limit ran out'}"
        )
        allocation = no_allocation(
            event,
            status=outcome.status,
            reason=reason,
            bound=outcome.bound,
            types=0 if data is None else data.n_types,
            plan=run.plan,
        )
    info = SolverInfo(
        time_limit=options.seconds,
        work_limit=options.work_limit,
        seed=options.seed,
        workers=options.workers,
        objective=options.objective or event.objective.kind,
        method=outcome.method,
        work=round(budget.work, 6),
        stop=outcome.stop,
        note=outcome.note,
        wall_time=budget.elapsed(),
        solve_time=outcome.seconds,
        first_time=None if outcome.first is None else outcome.first - budget.started,
        interrupted=outcome.stop == "interrupted",
        version=__version__,
        finished=datetime.now(UTC).replace(microsecond=0),
    )
    update = {
        "solver": info,
        "stages": outcome.stages,
        "conflicts": tuple(rule.text for rule in outcome.conflicts),
        "relaxation": tuple(rule.text for rule in outcome.relaxation),
        "conflict_rules": outcome.conflicts,
        "relaxation_rules": outcome.relaxation,
    }
    return allocation.model_copy(update=update)


def settle(data: CompiledEvent, candidate_open: NDArray[np.bool_]) -> tuple[CompiledEvent, NDArray[np.bool_]]:
    """Return ``data`` with each planned session's chosen room, and which sessions run."""
    if not data.planned:
        return data, np.ones(len(data.sessions.seminar), dtype=bool)
    candidates = data.candidates
    chosen = np.flatnonzero(candidate_open)
    slots = candidates.slot[chosen]
    room, capacity = data.sessions.room.copy(), data.sessions.capacity.copy()
    room[slots], capacity[slots] = candidates.room[chosen], candidates.capacity[chosen]
    running = np.zeros(len(data.sessions.seminar), dtype=bool)
    running[slots] = True
    return replace(data, sessions=replace(data.sessions, room=room, capacity=capacity)), running
