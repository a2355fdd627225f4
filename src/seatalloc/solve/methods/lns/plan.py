"""A first plan for an event whose sessions the optimiser places: from a sample, scaled.

The first batch of types used to choose the plan for everyone: a dozen
attendees decided which seminars run in which pass for 5,000, and whole
passes had too few seats. Here a sample of types plans on rooms and
minimums scaled to its share of the members (the plan's own rules, such as
sessions per pass and seminars that share or avoid a pass, unscaled), with
minimum attendance soft: a plan sized for everyone's choices. The seats of
the sample are then dropped; the plan stays.

With the plan fixed, the event is no longer planned: where its plain
relaxation is one the flow method solves (no required seminars, parties or
admission), :func:`fixed_plan_relaxation` gives it, with the rooms of the
sessions that run and no room for those that do not.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from seatalloc.compile import CompiledEvent
from seatalloc.compile.relax import plain_relaxation
from seatalloc.compile.restrict import whole
from seatalloc.solve.budget import Budget
from seatalloc.solve.methods.lns.passes import reseat_pass
from seatalloc.solve.methods.lns.state import Incumbent
from seatalloc.solve.methods.lns.subsolve import solve_sub
from seatalloc.solve.methods.lns.violations import broken, limits, short_types
from seatalloc.solve.options import SolveOptions

#: Arcs of the sample that plans, and the work its sub-event may take.
SAMPLE_ARCS, PLAN_WORK = 3_000, 4.0


def sampled_plan(
    data: CompiledEvent,
    state: Incumbent,
    rng: np.random.Generator,
    options: SolveOptions,
    budget: Budget,
) -> np.ndarray | None:
    """Return which candidates run, planned by a sample of types on scaled rooms (None: no plan)."""
    per_type = np.bincount(data.arcs.type, minlength=data.n_types)
    order = rng.permutation(data.n_types)
    taken = int(np.searchsorted(np.cumsum(per_type[order]), SAMPLE_ARCS)) + 1
    sample = whole(data, np.sort(order[:taken]))
    people = data.types.count * data.types.size
    share = float(people[sample].sum()) / max(1, int(people.sum()))
    if share >= 1:
        return None  # the sample is everyone: the first pass plans as it is

    # The sample stands for everyone: each of its types counts for its share of the members.
    count = np.maximum(1, np.round(data.types.count / share)).astype(np.int64)
    small = replace(data, types=replace(data.types, count=count))
    step = solve_sub(small, state, sample, options, budget, plan=True, relax=False, soft=True, work=PLAN_WORK)
    if step.found is None or step.found.open is None:
        return None
    return step.found.open.copy()


def fixed_plan_relaxation(data: CompiledEvent, is_open: np.ndarray) -> CompiledEvent:
    """Return the plain relaxation of ``data`` with the plan ``is_open`` fixed: not planned, each
    session with the room of the candidate that runs (none when none runs)."""
    plain = plain_relaxation(data)
    capacity, _minimum = limits(data, is_open)
    return replace(plain, planned=False, sessions=replace(plain.sessions, capacity=capacity))


def movable_plan(data: CompiledEvent) -> bool:
    """Whether runs may be moved by :func:`move_run`: a planned event whose listed runs are all its
    runs and whose rooms fit every attendee (a room's features would bar some seats)."""
    return (
        data.planned
        and not data.planning.extra_runs.any()
        and all(f is None for f in data.arcs.fits)
        and len(data.planning.run_options) > 0
    )


def move_run(
    data: CompiledEvent, state: Incumbent, rng: np.random.Generator, budget: Budget
) -> Incumbent | None:
    """Return ``state`` with one run moved to another of its candidates (another pass or room,
    free then), or two runs in different passes swapped (each to a candidate of its own in the
    other's pass), the passes they touch seated anew by min-cost flows, when that breaks nothing
    and gains; None otherwise. Moves of the plan that CP-SAT's sub-events, a few types at a time,
    do not make on thousands of attendees (a swap keeps the sessions per pass: a pass at its
    least can take part)."""
    assert state.open is not None
    runs = data.planning.run_options
    k = int(rng.integers(len(runs)))
    c = _running(runs[k], state.open)
    if c is None:
        return None
    is_open = state.open.copy()
    is_open[c] = False
    if rng.random() < 0.5:  # a swap
        m = int(rng.integers(len(runs)))
        d = _running(runs[m], state.open)
        if d is None or data.candidates.pass_[d] == data.candidates.pass_[c]:
            return None
        is_open[d] = False
        targets = [(runs[k], int(data.candidates.pass_[d])), (runs[m], int(data.candidates.pass_[c]))]
    else:
        targets = [(runs[k][runs[k] != c], -1)]
    for options, p in targets:
        chosen = _free_candidate(data, options, p, is_open, rng)
        if chosen is None:
            return None
        is_open[chosen] = True
    moved = state.copy()
    moved.open = is_open
    closed = state.open & ~is_open
    moved.seats[np.isin(data.arcs.session, data.candidates.slot[closed])] = 0
    touched = data.candidates.pass_[state.open != is_open]
    for p in sorted(set(touched.tolist())):
        found = reseat_pass(data, moved, p, rng, budget)
        if found is None:
            return None
        moved = found
    if broken(data, moved)[0] or short_types(data, moved).any() or moved.key(data) >= state.key(data):
        return None
    return moved


def _running(options: np.ndarray, is_open: np.ndarray) -> int | None:
    """The one candidate of a run that runs (None: none or more than one, or nowhere to go)."""
    running = options[is_open[options]]
    return int(running[0]) if len(running) == 1 and len(options) > 1 else None


def _free_candidate(
    data: CompiledEvent, options: np.ndarray, p: int, is_open: np.ndarray, rng: np.random.Generator
) -> int | None:
    """A random candidate of ``options`` (in pass ``p``, or any pass when -1) whose room is free in
    its pass and whose seminar does not run there yet under ``is_open`` (None: there is none)."""
    cand = data.candidates
    options = options[~is_open[options]]
    if p >= 0:
        options = options[cand.pass_[options] == p]
    busy_room = set(zip(cand.room[is_open].tolist(), cand.pass_[is_open].tolist(), strict=True))
    busy_slot = set(cand.slot[is_open].tolist())
    free = [
        c
        for c in options.tolist()
        if (int(cand.room[c]), int(cand.pass_[c])) not in busy_room and int(cand.slot[c]) not in busy_slot
    ]
    return int(free[rng.integers(len(free))]) if free else None
