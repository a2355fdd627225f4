"""Compile pass 3: the arcs, (type, session) pairs a type may sit in, with their cost.

A type may sit in a session when the seminar is priced for it (every
seminar, unless ``only_listed``), is not excluded, respects its pins (its
pinned seminar in a pinned pass; a pinned seminar nowhere else but in the
other parts of its run), and some
room of the session has every feature it needs, in a pass its members
attend. A pass without an arc is not attended, blocked by needs when some
session in it is otherwise allowed, or else because none is
(``Types.pass_block``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from itertools import chain

import numpy as np

from seatalloc.compile.data import (
    NEEDS,
    NO_SESSION,
    NOT_ATTENDING,
    OPEN,
    Arcs,
    Candidates,
    IntArray,
    Sessions,
    Types,
    array,
)
from seatalloc.compile.sessions import Index
from seatalloc.compile.types import CHECK_EVERY, TypeKey, TypeTable
from seatalloc.schema.event import Event
from seatalloc.schema.records import Attendee


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
    away = types.pass_block == NOT_ATTENDING
    pass_block = np.zeros((len(table.keys), n_passes), dtype=np.int8)
    previous_cost = np.full((len(table.keys), n_passes), -1, dtype=np.int64)
    plain = _PlainTypes(event, index, top)
    parts = [m.parts for m in event.seminars]
    for t, (key, rep) in enumerate(zip(table.keys, table.representative, strict=True)):
        if t % CHECK_EVERY == 0:
            check()
        if FAST and not (key.fixed or key.excluded or key.needs or any(c >= 0 for c in key.previous)):
            plain.add(t, key, rep)
            continue
        rank = {index.seminars[c]: r for r, c in enumerate(key.choices)}
        listed, rest = event.prices(rep, top=top)
        price = [rest] * n_seminars
        for seminar, value in listed.items():
            price[index.seminars[seminar]] = value
        pins = {index.passes[p]: index.seminars[j] for p, j in key.fixed}
        # A pinned seminar is closed in the other passes, except the other parts of a run.
        closed = {index.seminars[e] for e in key.excluded} | {j for j in pins.values() if parts[j] == 1}
        need_set = set(key.needs)
        with_arc = np.zeros(n_passes, dtype=bool)
        unfit = np.zeros(n_passes, dtype=bool)  # a session open to it, but no room meets its needs
        priced = sorted(s for j, cost in enumerate(price) if cost is not None for s in sessions_of[j])
        for s in priced:
            j, p = seminar_of[s], pass_of[s]
            if away[t, p] or not _allowed(j, p, pins, closed):
                continue
            here = slot_options[s]
            fits = [c for c in here if need_set <= room_features[room_of[c]]] if need_set else here
            if not fits:
                unfit[p] = True
                continue
            arc_fits.append(array(fits) if len(fits) < len(here) else None)
            with_arc[p] = True
            arc_type.append(t)
            arc_session.append(s)
            arc_rank.append(rank.get(j, -1))
            arc_cost.append(price[j])  # priced: not None
        pass_block[t] = np.where(with_arc, OPEN, np.where(unfit, NEEDS, NO_SESSION))
        for c in key.previous:
            if c >= 0:
                previous_cost[t, candidates.pass_[c]] = price[int(candidates.seminar[c])] or 0
    if not plain.types:
        arcs = Arcs(array(arc_type), array(arc_session), array(arc_cost), array(arc_rank), tuple(arc_fits))
        pass_block[away] = NOT_ATTENDING
        return arcs, replace(types, pass_block=pass_block, previous_cost=previous_cost)
    # The plain types' arcs, built at once: every session of each seminar priced for them, in the
    # passes they attend.
    p_type, p_session, p_cost, p_rank = plain.arcs(sessions_of, n_seminars)
    if away.any():
        attended = ~away[p_type, sessions.pass_[p_session]]
        p_type, p_session, p_cost, p_rank = (x[attended] for x in (p_type, p_session, p_cost, p_rank))
    with_arc = np.zeros((len(table.keys), n_passes), dtype=bool)
    with_arc[p_type, sessions.pass_[p_session]] = True
    mine = np.array(plain.types, dtype=np.int64)  # (no needs: a pass without an arc has no session for them)
    pass_block[mine] = np.where(with_arc[mine], OPEN, NO_SESSION)
    pass_block[away] = NOT_ATTENDING
    all_type = np.concatenate([array(arc_type), p_type])
    all_session = np.concatenate([array(arc_session), p_session])
    order = np.lexsort((all_session, all_type))  # by type, then session: as one loop gives them
    all_fits: tuple[IntArray | None, ...] = (None,) * len(order)
    if any(f is not None for f in arc_fits):
        everyone = arc_fits + [None] * len(p_type)
        all_fits = tuple(everyone[i] for i in order.tolist())
    arcs = Arcs(
        all_type[order],
        all_session[order],
        np.concatenate([array(arc_cost), p_cost])[order],
        np.concatenate([array(arc_rank), p_rank])[order],
        all_fits,
    )
    return arcs, replace(types, pass_block=pass_block, previous_cost=previous_cost)


#: Whether types without pins, exclusions, needs or published seats get their arcs all at once
#: (:class:`_PlainTypes`: 1,000,000 unique attendees compiled in a third of the time); the loop
#: gives them the same arcs.
FAST = True


class _PlainTypes:
    """Types without pins, exclusions, needs or published seats: each may sit in every session of
    every seminar priced for it, so their arcs are built at once, in numpy. Ranked types (no costs
    or scores, the most common) keep only their choices; the others their prices."""

    def __init__(self, event: Event, index: Index, top: int) -> None:
        self.event, self.seminars, self.top = event, index.seminars, top
        self.rest = None if event.objective.only_listed else event.objective.unranked_cost
        self.types: list[int] = []
        self.ranked_types: list[int] = []
        self.ranked_choices: list[tuple[str, ...]] = []
        self.pair_type: list[int] = []  # the priced types' (type, seminar) pairs
        self.pair_seminar: list[int] = []
        self.pair_cost: list[int] = []
        self.pair_rank: list[int] = []

    def add(self, t: int, key: TypeKey, attendee: Attendee) -> None:
        """Add type ``t`` with ``key``, whose ``attendee`` stands for it."""
        self.types.append(t)
        if not (key.costs or key.scores):
            self.ranked_types.append(t)
            self.ranked_choices.append(key.choices)
            return
        listed, _ = self.event.prices(attendee, top=self.top)
        rank = {c: r for r, c in enumerate(key.choices)}
        for seminar, cost in listed.items():
            self.pair_type.append(t)
            self.pair_seminar.append(self.seminars[seminar])
            self.pair_cost.append(cost)
            self.pair_rank.append(rank.get(seminar, -1))

    def _ranked(self) -> tuple[IntArray, ...]:
        """Return the type, seminar, cost and rank of the ranked types' choices."""
        length = np.fromiter(map(len, self.ranked_choices), dtype=np.int64, count=len(self.ranked_choices))
        flat = chain.from_iterable(self.ranked_choices)
        seminar = np.fromiter(map(self.seminars.__getitem__, flat), dtype=np.int64, count=int(length.sum()))
        rank = np.arange(len(seminar), dtype=np.int64) - np.repeat(np.cumsum(length) - length, length)
        objective = self.event.objective
        costs = array([objective.rank_cost(r) for r in range(int(length.max(initial=0)))])
        return np.repeat(array(self.ranked_types), length), seminar, costs[rank], rank

    def arcs(self, sessions_of: list[list[int]], n_seminars: int) -> tuple[IntArray, ...]:
        """Return the type, session, cost and rank of every arc of these types."""
        ranked = self._ranked()
        t = np.concatenate([ranked[0], array(self.pair_type)])
        j = np.concatenate([ranked[1], array(self.pair_seminar)])
        cost = np.concatenate([ranked[2], array(self.pair_cost)])
        rank = np.concatenate([ranked[3], array(self.pair_rank)])
        if self.rest is not None:  # every seminar not listed, at the rest cost, unranked
            mine = array(self.types)  # ascending
            others = np.ones((len(mine), n_seminars), dtype=bool)
            others[np.searchsorted(mine, t), j] = False
            row, seminar = np.nonzero(others)
            t = np.concatenate([t, mine[row]])
            j = np.concatenate([j, seminar])
            cost = np.concatenate([cost, np.full(len(row), self.rest, dtype=np.int64)])
            rank = np.concatenate([rank, np.full(len(row), -1, dtype=np.int64)])
        # each (type, seminar) to every session of the seminar
        flat = array([s for ss in sessions_of for s in ss])
        start = np.concatenate([[0], np.cumsum([len(ss) for ss in sessions_of])]).astype(np.int64)
        per = (start[1:] - start[:-1])[j]
        first = np.repeat(start[j], per)
        offset = np.arange(int(per.sum()), dtype=np.int64) - np.repeat(np.cumsum(per) - per, per)
        return np.repeat(t, per), flat[first + offset], np.repeat(cost, per), np.repeat(rank, per)
