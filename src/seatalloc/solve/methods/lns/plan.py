"""A first plan for an event whose sessions the optimiser places: built greedily, or from a sample.

:func:`greedy_plan` places the runs in one pass with numpy and no solver (a
plan in milliseconds, so that a first allocation comes before CP-SAT is
even loaded): the most wanted seminars first, each in the pass with the
fewest seats planned for the people who want one there.

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

from seatalloc.arrays import distinct
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


def greedy_plan(data: CompiledEvent, rng: np.random.Generator) -> np.ndarray | None:
    """Return which candidates run, placed without a solver (None when a run finds no place).

    Each run goes to the pass with the fewest seats planned for the people who want one there
    (the least demand planned there when as few), in the largest room free there: the most
    wanted seminars first (the demand of a seminar is its people weighed by rank, 1/(rank+1),
    shared among its runs), so that they spread over the passes; seminars that run in the
    same passes together. Then passes below their least sessions take runs from the fullest.
    Every rule of the plan (``model.planning``) holds by construction."""
    if not movable_plan(data):
        return None
    planning = data.planning
    n_seminars = len(data.seminar_ids)
    units = _units(data)
    if units is None:
        return None
    rank, arc_type = data.arcs.rank, data.arcs.type
    people = (data.types.count * data.types.size).astype(float)
    weight = np.where(rank >= 0, people[arc_type] / (1.0 + np.maximum(rank, 0)), 0.0)
    demand = np.bincount(data.sessions.seminar[data.arcs.session], weights=weight, minlength=n_seminars)
    per_run = demand / np.maximum(1, np.bincount(planning.run_seminar, minlength=n_seminars))
    # people who want a seat in each pass: each type's share of its passes
    pairs = distinct(arc_type * data.n_passes + data.sessions.pass_[data.arcs.session])
    pair_type, pair_pass = np.divmod(pairs, data.n_passes)
    passes_of = np.maximum(1, np.bincount(pair_type, minlength=data.n_types))
    share = people * np.minimum(data.types.max_sessions, data.n_passes) / passes_of
    need = np.maximum(1.0, np.bincount(pair_pass, weights=share[pair_type], minlength=data.n_passes))
    exclusive = [set(g.tolist()) for g in planning.different_pass]
    placing = _Placing(data, exclusive)
    weight_of = [sum(float(per_run[planning.run_seminar[k]]) for k in unit) for unit in units]
    # A seminar pinned in a pass runs there: a run of it is placed there first.
    held = data.types.count > 0
    pins: set[tuple[int, int]] = set()
    for q in range(data.n_passes):
        pins |= {(int(j), q) for j in np.unique(data.types.fixed[held, q]).tolist() if j >= 0}
    for j, q in sorted(pins):
        if (j, q) in placing.seminars:
            continue
        u = next(
            (u for u, unit in enumerate(units) if u not in placing.units and j in planning.run_seminar[unit]),
            None,
        )
        chosen = None if u is None else placing.fit(units[u], q)
        if u is None or chosen is None:
            return None
        placing.place(u, units[u], chosen, weight_of[u], pinned=True)
    order = rng.permutation(len(units))
    for u in order[np.argsort(-np.array(weight_of)[order], kind="stable")].tolist():
        if u in placing.units:
            continue
        runs = units[u]
        best: tuple[tuple[float, float], list[int]] | None = None
        for p in range(data.n_passes):
            chosen = placing.fit(runs, p)
            if chosen is not None:
                fill = (float(placing.seats[p] / need[p]), float(placing.load[p]))
                if best is None or fill < best[0]:
                    best = (fill, chosen)
        if best is None:
            if planning.optional[planning.run_seminar[runs]].all():
                continue  # an optional seminar's run is cancelled
            return None
        placing.place(u, runs, best[1], weight_of[u])
    if not placing.least_sessions(units):
        return None
    return placing.is_open


def _units(data: CompiledEvent) -> list[list[int]] | None:
    """The runs placed together: one run of each seminar of a same-pass group per unit, every
    other run alone (None: a group whose seminars run different numbers of sessions)."""
    planning = data.planning
    runs_of: dict[int, list[int]] = {}
    for k, j in enumerate(planning.run_seminar.tolist()):
        runs_of.setdefault(j, []).append(k)
    units: list[list[int]] = []
    grouped: set[int] = set()
    for group in planning.same_pass:
        lists = [runs_of.get(j, []) for j in group.tolist()]
        if (
            len({len(x) for x in lists}) > 1
            or planning.optional[group].any()
            or grouped & set(group.tolist())
        ):
            return None
        units += [list(unit) for unit in zip(*lists, strict=True)]
        grouped |= set(group.tolist())
    units += [[k] for j, ks in runs_of.items() if j not in grouped for k in ks]
    return units


class _Placing:
    """The plan as runs are placed: rooms taken per pass, seminars per pass, demand and seats."""

    def __init__(self, data: CompiledEvent, exclusive: list[set[int]]):
        self.data, self.exclusive = data, exclusive
        self.is_open = np.zeros(len(data.candidates.seminar), dtype=bool)
        self.where: dict[int, int] = {}  # run -> its candidate
        self.units: set[int] = set()  # units placed
        self.pinned: set[int] = set()  # runs placed where a pin wants them
        self.rooms: set[tuple[int, int]] = set()  # (room, pass) taken
        self.seminars: set[tuple[int, int]] = set()  # (seminar, pass) running
        self.load = np.zeros(data.n_passes)
        self.seats = np.zeros(data.n_passes)
        self.runs = np.zeros(data.n_passes, dtype=np.int64)

    def _allowed(self, j: int, p: int, seminars: set[tuple[int, int]]) -> bool:
        if (j, p) in seminars:
            return False
        return not any(
            j in group and any((i, p) in seminars for i in group if i != j) for group in self.exclusive
        )

    def fit(self, runs: list[int], p: int) -> list[int] | None:
        """Candidates for ``runs`` in pass ``p``, the largest free room each (None: one has none)."""
        cand, planning = self.data.candidates, self.data.planning
        rooms, seminars, chosen = set(self.rooms), set(self.seminars), []
        for k in runs:
            j = int(planning.run_seminar[k])
            if not self._allowed(j, p, seminars):
                return None
            options = [
                c
                for c in planning.run_options[k].tolist()
                if cand.pass_[c] == p and (int(cand.room[c]), p) not in rooms
            ]
            if not options:
                return None
            c = max(options, key=lambda c: int(cand.capacity[c]))
            chosen.append(c)
            rooms.add((int(cand.room[c]), p))
            seminars.add((j, p))
        return chosen

    def place(self, u: int, runs: list[int], chosen: list[int], load: float, pinned: bool = False) -> None:
        """Run unit ``u``'s ``runs`` at the ``chosen`` candidates, with the demand ``load``."""
        cand = self.data.candidates
        self.units.add(u)
        if pinned:
            self.pinned |= set(runs)
        for k, c in zip(runs, chosen, strict=True):
            self._open(k, c)
        self.load[int(cand.pass_[chosen[0]])] += load

    def _open(self, k: int, c: int) -> None:
        cand = self.data.candidates
        self.is_open[c] = True
        self.where[k] = c
        p = int(cand.pass_[c])
        self.rooms.add((int(cand.room[c]), p))
        self.seminars.add((int(cand.seminar[c]), p))
        self.runs[p] += 1
        self.seats[p] += float(cand.capacity[c])

    def _remove(self, k: int) -> None:
        cand = self.data.candidates
        c = self.where.pop(k)
        p = int(cand.pass_[c])
        self.is_open[c] = False
        self.rooms.discard((int(cand.room[c]), p))
        self.seminars.discard((int(cand.seminar[c]), p))
        self.runs[p] -= 1
        self.seats[p] -= float(cand.capacity[c])

    def least_sessions(self, units: list[list[int]]) -> bool:
        """Move single runs from the fullest passes to those below their least sessions; return
        whether every pass has its least (the demand per pass is no longer kept)."""
        least = self.data.planning.min_sessions
        pass_ = self.data.candidates.pass_
        single = [u[0] for u in units if len(u) == 1 and u[0] in self.where and u[0] not in self.pinned]
        for p in range(self.data.n_passes):
            while self.runs[p] < least[p]:
                donors = [
                    k for k in single if (q := int(pass_[self.where[k]])) != p and self.runs[q] > least[q]
                ]
                donors.sort(key=lambda k: -self.runs[int(pass_[self.where[k]])])
                for k in donors:
                    old = self.where[k]
                    self._remove(k)
                    chosen = self.fit([k], p)
                    if chosen is not None:
                        self._open(k, chosen[0])
                        break
                    self._open(k, old)
                else:
                    return False
        return True


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
