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
from seatalloc.solve.methods.lns.state import Incumbent
from seatalloc.solve.methods.lns.subsolve import solve_sub
from seatalloc.solve.methods.lns.violations import limits
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
