"""Compile pass 3: the arcs, (type, session) pairs a type may sit in, with their cost.

A type may sit in a session when the seminar is priced for it (every
seminar, unless ``only_listed``), is not excluded, respects its pins (its
pinned seminar in a pinned pass; a pinned seminar nowhere else), and some
room of the session has every feature it needs. A pass without an arc is
blocked by needs when some session in it is otherwise allowed, else because
none is (``Types.pass_block``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from seatalloc.compile.data import NEEDS, NO_SESSION, OPEN, Arcs, Candidates, IntArray, Sessions, Types, array
from seatalloc.compile.sessions import Index
from seatalloc.compile.types import CHECK_EVERY, TypeTable
from seatalloc.schema.event import Event


def _allowed(j: int, p: int, pins: dict[int, int], closed: set[int]) -> bool:
    """A type may sit in seminar ``j`` in pass ``p``: its pin there, else not excluded or pinned elsewhere."""
    return pins[p] == j if p in pins else j not in closed


def compile_arcs(
    event: Event,
    index: Index,
    sessions: Sessions,
    candidates: Candidates,
    table: TypeTable,
    types: Types,
    check: Callable[[], None],
) -> tuple[Arcs, Types]:
    """Return the arcs of every type, and ``types`` with their pass blocks and published costs."""
    n_passes, n_seminars = len(event.passes), len(event.seminars)
    top = event.top_score
    slot_options = [np.flatnonzero(candidates.slot == s).tolist() for s in range(len(sessions.seminar))]
    room_of = candidates.room.tolist()
    sessions_of = [np.flatnonzero(sessions.seminar == j).tolist() for j in range(n_seminars)]
    seminar_of, pass_of = sessions.seminar.tolist(), sessions.pass_.tolist()
    room_features = [frozenset(r.features) for r in event.rooms]
    arc_type: list[int] = []
    arc_session: list[int] = []
    arc_cost: list[int] = []
    arc_rank: list[int] = []
    arc_fits: list[IntArray | None] = []
    pass_block = np.zeros((len(table.keys), n_passes), dtype=np.int8)
    previous_cost = np.full((len(table.keys), n_passes), -1, dtype=np.int64)
    for t, (key, rep) in enumerate(zip(table.keys, table.representative, strict=True)):
        if t % CHECK_EVERY == 0:
            check()
        rank = {index.seminars[c]: r for r, c in enumerate(key.choices)}
        listed, rest = event.prices(rep, top=top)
        price = [rest] * n_seminars
        for seminar, value in listed.items():
            price[index.seminars[seminar]] = value
        pins = {index.passes[p]: index.seminars[j] for p, j in key.fixed}
        closed = {index.seminars[e] for e in key.excluded} | set(pins.values())
        need_set = set(key.needs)
        with_arc = np.zeros(n_passes, dtype=bool)
        priced = sorted(s for j, cost in enumerate(price) if cost is not None for s in sessions_of[j])
        for s in priced:
            j, p = seminar_of[s], pass_of[s]
            if not _allowed(j, p, pins, closed):
                continue
            here = slot_options[s]
            fits = [c for c in here if need_set <= room_features[room_of[c]]] if need_set else here
            if not fits:
                continue
            arc_fits.append(array(fits) if len(fits) < len(here) else None)
            with_arc[p] = True
            arc_type.append(t)
            arc_session.append(s)
            arc_rank.append(rank.get(j, -1))
            arc_cost.append(price[j])  # priced: not None
        reachable = with_arc.copy()
        for s in np.flatnonzero(~with_arc[sessions.pass_]).tolist():
            reachable[pass_of[s]] |= _allowed(seminar_of[s], pass_of[s], pins, closed)
        pass_block[t] = np.where(with_arc, OPEN, np.where(reachable, NEEDS, NO_SESSION))
        for c in key.previous:
            if c >= 0:
                previous_cost[t, candidates.pass_[c]] = price[int(candidates.seminar[c])] or 0
    arcs = Arcs(array(arc_type), array(arc_session), array(arc_cost), array(arc_rank), tuple(arc_fits))
    return arcs, replace(types, pass_block=pass_block, previous_cost=previous_cost)
