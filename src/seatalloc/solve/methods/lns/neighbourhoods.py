"""Which types (and whether the plan) a sub-event frees.

A first pass visits every type once, in batches (pinned and required types
first, then in a seeded random order), from an empty allocation: that builds
the first allocation, every rule kept in every batch. Then the search frees,
in turn: random types; the types that can sit in a session (or in two
sessions of one pass, to trade seats); an organisation's or a group's types
(their quotas and mixes move together); the types worst off; and, when the
optimiser plans sessions, the plan with the types of two seminars; and, once
the LP bound is known, types seated unlike the LP's solution (its seats are
the prices' guide to where the allocation can still gain).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from seatalloc.arrays import distinct
from seatalloc.compile import CompiledEvent
from seatalloc.compile.data import IntArray
from seatalloc.compile.restrict import whole
from seatalloc.solve.methods.lns.state import Incumbent


@dataclass(frozen=True)
class Neighbourhood:
    kind: str
    free: IntArray  # types, whole (compile.restrict.whole)
    plan: bool = False


def first_pass(data: CompiledEvent, rng: np.random.Generator, arcs: int) -> Iterator[IntArray]:
    """Yield batches of about ``arcs`` arcs that together cover every type once."""
    order = rng.permutation(data.n_types)
    eager = (data.types.fixed >= 0).any(axis=1) | np.array([bool(r) for r in data.types.required])
    order = np.concatenate([order[eager[order]], order[~eager[order]]])
    per_type = np.bincount(data.arcs.type, minlength=data.n_types)
    done = np.zeros(data.n_types, dtype=bool)
    start = 0
    cumulative = np.cumsum(per_type[order])
    while start < len(order):
        stop = int(np.searchsorted(cumulative, cumulative[start] - per_type[order[start]] + arcs)) + 1
        batch = whole(data, order[start:stop])
        batch = batch[~done[batch]]
        done[batch] = True
        if len(batch):
            yield batch
        start = stop
        while start < len(order) and done[order[start]]:
            start += 1


class Chooser:
    """Draw neighbourhoods of about ``arcs`` arcs, kind after kind."""

    def __init__(self, data: CompiledEvent, rng: np.random.Generator):
        self.data, self.rng = data, rng
        self.per_type = np.bincount(data.arcs.type, minlength=data.n_types)
        self.kinds = ["random", "session", "pair", "worst"]
        if len(data.rules.session_quota_organisation) or len(data.rules.seat_quota_organisation):
            self.kinds.append("organisation")
        if data.rules.diversity or data.rules.parity:
            self.kinds.append("group")
        if data.planned:
            self.kinds.append("plan")
        self.turn = 0
        #: The LP's seats per arc, once known: types seated unlike them are drawn more often.
        self.guide: NDArray[np.float64] | None = None
        fits = np.array([f is not None for f in data.arcs.fits], dtype=bool)
        self.needs = np.unique(data.arcs.type[fits])  # freed with the plan: their rooms may change

    def next(self, state: Incumbent, arcs: int) -> Neighbourhood:
        kinds = self.kinds if self.guide is None else [*self.kinds, "guided", "guided"]
        kind = kinds[self.turn % len(kinds)]
        self.turn += 1
        data, rng = self.data, self.rng
        if (kind == "session" or kind == "pair") and len(data.sessions.seminar):
            s = int(rng.integers(len(data.sessions.seminar)))
            sessions = [s]
            if kind == "pair":
                same = np.flatnonzero(data.sessions.pass_ == data.sessions.pass_[s])
                sessions.append(int(rng.choice(same)))
            pool = distinct(data.arcs.type[np.isin(data.arcs.session, sessions)])
        elif kind == "organisation":
            orgs = np.unique(data.types.organisation[data.types.organisation >= 0])
            pool = np.flatnonzero(data.types.organisation == rng.choice(orgs))
        elif kind == "group":
            dim = int(rng.integers(data.types.group.shape[1]))
            values = np.unique(data.types.group[:, dim])
            pool = np.flatnonzero(data.types.group[:, dim] == rng.choice(values))
        elif kind == "worst":
            pool = self._worst(state)
        elif kind == "guided" and self.guide is not None:
            apart = np.bincount(
                data.arcs.type, weights=np.abs(state.seats - self.guide), minlength=data.n_types
            )
            pool = np.flatnonzero(apart > 0.5)
        elif kind == "plan":
            seminars = rng.choice(len(data.seminar_ids), size=min(2, len(data.seminar_ids)), replace=False)
            touching = np.isin(data.sessions.seminar[data.arcs.session], seminars)
            pool = distinct(data.arcs.type[touching])
            chosen = self._draw(pool, max(0, arcs - int(self.per_type[self.needs].sum())))
            return Neighbourhood(kind, whole(data, np.union1d(chosen, self.needs)), plan=True)
        else:
            pool = np.arange(data.n_types)
        if len(pool) == 0:
            pool = np.arange(data.n_types)
        return Neighbourhood(kind, whole(data, self._draw(pool, arcs)))

    def around(self, state: Incumbent, sessions: IntArray, arcs: int, most: int) -> IntArray:
        """Return types seated in ``sessions`` (they may have to move; up to ``most`` arcs of them)
        and others that could sit there (they may take a freed seat elsewhere), about ``arcs`` arcs
        in all."""
        data = self.data
        here = np.isin(data.arcs.session, sessions)
        seated = distinct(data.arcs.type[here & (state.seats > 0)])
        chosen = self._draw(seated, most)
        others = np.setdiff1d(distinct(data.arcs.type[here]), chosen)
        rest = max(0, arcs - int(self.per_type[chosen].sum()))
        return whole(data, np.union1d(chosen, self._draw(others, rest)))

    def _draw(self, pool: IntArray, arcs: int) -> IntArray:
        """Return random types of ``pool`` with about ``arcs`` arcs in all."""
        if len(pool) == 0:
            return pool
        shuffled = self.rng.permutation(pool)
        take = int(np.searchsorted(np.cumsum(self.per_type[shuffled]), arcs)) + 1
        return np.sort(shuffled[:take])

    def _worst(self, state: Incumbent) -> IntArray:
        """Return the types whose members pay most per member, the costliest half first."""
        data = self.data
        paid = np.bincount(data.arcs.type, weights=state.seats * data.arcs.cost, minlength=data.n_types)
        seated = np.bincount(data.arcs.type, weights=state.seats, minlength=data.n_types)
        wanted = data.types.count * np.minimum(data.types.max_sessions, data.n_passes)
        per_member = (paid + (wanted - seated) * data.unseated_cost) / np.maximum(1, data.types.count)
        ranked = np.argsort(-per_member, kind="stable")
        return ranked[: max(1, len(ranked) // 2)]
