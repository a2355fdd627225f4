"""Moves of a planned event's plan: a run to another pass or room, or two runs swapped.

CP-SAT's sub-events change the plan only with the few types they free, so
on thousands of attendees they do not move a run whose seats many hold.
Here a run moves (or two swap passes) with everyone in the passes it
touches seated anew by min-cost flows (:mod:`.passes`), taken when it breaks
nothing and gains.
"""

from __future__ import annotations

import numpy as np

from seatalloc.compile import CompiledEvent
from seatalloc.solve.budget import Budget
from seatalloc.solve.methods.lns.passes import reseat_pass
from seatalloc.solve.methods.lns.state import Incumbent
from seatalloc.solve.methods.lns.violations import broken, short_types


def move_run(
    data: CompiledEvent, state: Incumbent, rng: np.random.Generator, budget: Budget, *, worse: bool = False
) -> Incumbent | None:
    """Return ``state`` with one run moved to another of its candidates (another pass or room,
    free then), or two runs in different passes swapped (each to a candidate of its own in the
    other's pass), the passes they touch seated anew by min-cost flows, when that breaks nothing
    and gains (or, with ``worse``, whatever it costs: a kick out of a local optimum); None
    otherwise. Moves of the plan that CP-SAT's sub-events, a few types at a time, do not make
    on thousands of attendees (a swap keeps the sessions per pass: a pass at its least can take
    part)."""
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
    if broken(data, moved)[0] or short_types(data, moved).any():
        return None
    if not worse and moved.key(data) >= state.key(data):
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
