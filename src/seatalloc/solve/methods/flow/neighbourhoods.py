"""Large-neighbourhood search for plain events: re-seat a few hundred types at a time, exactly.

Pick a few full sessions at random; free every type that could sit in one of
them (at most :data:`NEIGHBOURHOOD`, drawn at random); hold everyone else;
and let CP-SAT seat the freed types as well as possible in what is left of
the rooms: one seat per member and pass, one per member and seminar. The
current seats are a solution of that small model (given as a hint), so a
round never makes the allocation worse. Measured on a catalogue of 10,000
attendees whose seminars run in 2 of 4 passes: the gap left by the seat
prices fell from 3.5 % to 1.1 % in 40 s (rounds of 300 types, each solved to
optimality in well under a second). Each round's CP-SAT stops at a
deterministic limit, so the rounds are the same on any machine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from seatalloc.arrays import distinct
from seatalloc.compile import CompiledEvent, groups
from seatalloc.solve.budget import Budget
from seatalloc.solve.methods.flow.network import Pairs, seat_cost, total
from seatalloc.solve.methods.sat import new_solver, run

IntArray = NDArray[np.int64]

#: Types freed per round, and full sessions whose types are drawn from.
NEIGHBOURHOOD = 300
SESSIONS_PER_ROUND = 6
#: Work (CP-SAT's deterministic time) one round may spend.
ROUND_WORK = 1.0


def polish(
    data: CompiledEvent,
    pairs: Pairs,
    seats: IntArray,
    rng: np.random.Generator,
    budget: Budget,
    seed: int,
    on_better: Callable[[IntArray], None],
) -> tuple[bool, bool]:
    """Improve ``seats`` round by round while ``budget`` lasts, or until Ctrl-C; hand each better one
    to ``on_better``.

    Returns whether the last seats are proven optimal (a round freed every
    type and CP-SAT proved its seating optimal) and whether Ctrl-C stopped it.
    """
    n_sessions = len(data.sessions.seminar)
    by_type = dict(groups(data.arcs.type))
    best = seat_cost(data, seats)
    while budget.stop() is None:
        fill = total(data.arcs.session, seats, n_sessions)
        full = np.flatnonzero(fill >= data.sessions.capacity)
        centre = rng.choice(
            full if len(full) else n_sessions, size=min(SESSIONS_PER_ROUND, max(1, len(full)))
        )
        near = distinct(data.arcs.type[np.isin(data.arcs.session, centre)])
        everyone = data.n_types <= NEIGHBOURHOOD
        chosen = np.arange(data.n_types) if everyone else rng.permutation(near)[:NEIGHBOURHOOD]
        arcs = np.concatenate([by_type[(int(t),)] for t in chosen if (int(t),) in by_type])
        found, proven, stopped = _reseat(data, pairs, seats, arcs, budget, seed)
        if found is not None and seat_cost(data, found) < best:
            seats, best = found, seat_cost(data, found)
            on_better(seats)
        if everyone and proven:
            return True, False
        if stopped:
            return False, True
    return False, False


def _reseat(
    data: CompiledEvent, pairs: Pairs, seats: IntArray, arcs: IntArray, budget: Budget, seed: int
) -> tuple[IntArray | None, bool, bool]:
    """Seat the types of ``arcs`` anew, everyone else held.

    Returns the seats (None if none found), whether they are proven optimal,
    and whether Ctrl-C stopped CP-SAT (it catches the signal and returns early).
    """
    held = seats.copy()
    held[arcs] = 0
    room = data.sessions.capacity - total(data.arcs.session, held, len(data.sessions.seminar))
    model = cp_model.CpModel()
    count = data.types.count[data.arcs.type[arcs]]
    x = [model.new_int_var(0, int(c), "") for c in count.tolist()]
    arc_pass = data.sessions.pass_[data.arcs.session[arcs]]
    # One seat per member and pass, one per member and seminar, rooms.
    rules: list[tuple[Any, Callable[[tuple[int, ...]], int]]] = [
        (groups(data.arcs.type[arcs], arc_pass), lambda key: data.types.count[key[0]]),
        (groups(pairs.of_arc[arcs]), lambda key: data.types.count[pairs.type[key[0]]]),
        (groups(data.arcs.session[arcs]), lambda key: room[key[0]]),
    ]
    for grouped, limit in rules:
        for key, local in grouped:
            model.add(cp_model.LinearExpr.sum([x[i] for i in local.tolist()]) <= int(limit(key)))
    for (t, p), local in groups(data.arcs.type[arcs], arc_pass):  # pinned members keep a seat
        if data.types.fixed[t, p] >= 0:
            model.add(cp_model.LinearExpr.sum([x[i] for i in local.tolist()]) == int(data.types.count[t]))
    model.minimize(cp_model.LinearExpr.weighted_sum(x, (data.arcs.cost[arcs] - data.unseated_cost).tolist()))
    for var, value in zip(x, seats[arcs].tolist(), strict=True):
        model.add_hint(var, value)
    solver = new_solver(budget, seed=seed, workers=1, work=ROUND_WORK)
    solver.parameters.linearization_level = 2
    sat = run(solver, model, budget)
    status, stopped = sat.status, sat.interrupted
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False, stopped
    found = held.copy()
    found[arcs] = [solver.value(v) for v in x]
    return found, status == cp_model.OPTIMAL, stopped
