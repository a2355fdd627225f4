"""How far seats break the rules across types, and in which sessions: the search's compass.

The search may start from seats that keep each attendee's own rules but not
the rules across attendees (the flow method's, which knows no quotas or
mixes); it repairs them sub-event by sub-event until nothing is broken. This
measures what is left, with numpy, on the compiled arrays: people over a
room's capacity or under its minimum, over an organisation's quota (per
session or at the event), over a shared limit, a mix rule broken in a
session, seats in a planned room without what their attendees need, and a
rule of the plan (runs, sessions per pass, same passes) that a repairing
sub-event, where every rule may break at a cost, left broken.
The independent checker (``seatalloc.check``) stays the judge of the final
allocation.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from seatalloc.arrays import numbered
from seatalloc.compile import NOT_ATTENDING, CompiledEvent
from seatalloc.compile.data import BoolArray, IntArray
from seatalloc.model.variables import DROP_WEIGHT
from seatalloc.solve.methods.lns.state import Incumbent

#: As ``model.parity`` and ``model.diversity``: a percentage kept to 1/100 of a point.
POINTS = 100


@dataclass(frozen=True)
class _Seated:
    """The arcs with seats (a third of a million-type event's arcs, none at the start): what the
    counts below need, read once."""

    arc: IntArray
    type: IntArray
    session: IntArray
    seats: IntArray
    people: IntArray

    @classmethod
    def of(cls, data: CompiledEvent, state: Incumbent) -> _Seated:
        arc = np.flatnonzero(state.seats)
        types, seats = data.arcs.type[arc], state.seats[arc]
        return cls(arc, types, data.arcs.session[arc], seats, seats * data.types.size[types])


def broken(data: CompiledEvent, state: Incumbent) -> tuple[int, BoolArray]:
    """Return how much the seats break the rules across types, weighed as the model's ``relax``
    mode weighs it (people over or under a limit; :data:`DROP_WEIGHT` per mix or parity
    constraint broken), and per session whether a broken rule touches it."""
    n = len(data.sessions.seminar)
    on = _Seated.of(data, state)
    people = np.bincount(on.session, weights=on.people, minlength=n).astype(np.int64)
    seats = np.bincount(on.session, weights=on.seats, minlength=n).astype(np.int64)
    capacity, minimum = limits(data, state.open)
    excess = np.maximum(0, people - capacity) + np.maximum(0, minimum - people)
    total = int(excess.sum())
    bad = excess > 0
    arc_org = data.types.organisation[on.type]
    for org, cap, sessions in zip(
        data.rules.session_quota_organisation.tolist(),
        data.rules.session_quota_cap.tolist(),
        data.rules.session_quota_sessions,
        strict=True,
    ):
        mine = np.bincount(on.session, weights=np.where(arc_org == org, on.people, 0), minlength=n)
        over = np.zeros(n, dtype=np.int64)
        over[sessions] = np.maximum(0, mine[sessions].astype(np.int64) - cap)
        total += int(over.sum())
        bad |= over > 0
    for org, cap in zip(
        data.rules.seat_quota_organisation.tolist(), data.rules.seat_quota_cap.tolist(), strict=True
    ):
        mine = data.types.organisation == org
        over = int((state.admitted[mine] * data.types.size[mine]).sum()) - cap
        if over > 0:
            total += over
            bad |= np.isin(np.arange(n), on.session[arc_org == org])
    for seminars, cap in zip(
        data.rules.shared_limit_seminars, data.rules.shared_limit_cap.tolist(), strict=True
    ):
        inside = np.isin(data.sessions.seminar, seminars)
        over = int(people[inside].sum()) - cap
        if over > 0:
            total += over
            bad |= inside
    for rule in data.rules.diversity:
        mixed = _mix_broken(data, on, rule, seats)
        total += DROP_WEIGHT * int(mixed.sum())
        bad |= mixed > 0
    misfit = on.seats * misfits(data, state.open)[on.arc]  # seats in a room without their needs
    if misfit.any():
        total += int(misfit.sum())
        bad |= np.isin(np.arange(n), on.session[misfit > 0])
    over = _types_over(data, state, on)  # relaxed in a repairing sub-event, or left by rounding
    if over.any():
        total += int(over.sum())
        bad |= np.isin(np.arange(n), on.session[over[on.type] > 0])
    total += DROP_WEIGHT * (_parity_broken(data, on) + _plan_broken(data, state))
    return total, bad


def misfits(data: CompiledEvent, is_open: BoolArray | None) -> BoolArray:
    """Return per arc whether the room its session runs in under the plan ``is_open`` lacks what
    its type needs (``model.planning``: attendees with needs sit only in a slot whose chosen room
    has them); never on an event whose sessions are fixed, where such arcs are not made."""
    out = np.zeros(len(data.arcs.type), dtype=bool)
    if not data.planned or is_open is None:  # (no plan yet: nothing runs, no seat fits anywhere)
        return out
    fits = data.arcs.fits
    for e in data.arcs.needy.tolist():
        out[e] = not is_open[fits[e]].any()
    return out


def _types_over(data: CompiledEvent, state: Incumbent, on: _Seated) -> IntArray:
    """Return the seats per type beyond its admitted members in a pass, plus those beyond its
    members' ``max_sessions`` (as ``model.assignment`` states the rule: where the limit is below
    the passes the type has arcs in)."""
    n_types, n_passes = data.n_types, data.n_passes
    cell = on.type * n_passes + data.sessions.pass_[on.session]
    per_pass = np.bincount(cell, weights=on.seats, minlength=n_types * n_passes).astype(np.int64)
    per_pass = per_pass.reshape(n_types, n_passes)
    in_pass: IntArray = np.maximum(0, per_pass - state.admitted[:, None]).sum(axis=1)
    if (data.types.max_sessions >= n_passes).all():  # no course load below the passes
        return in_pass
    passes = np.zeros(n_types * n_passes, dtype=bool)
    passes[data.arcs.type * n_passes + data.sessions.pass_[data.arcs.session]] = True
    limited = data.types.max_sessions < passes.reshape(n_types, n_passes).sum(axis=1)
    beyond = np.maximum(0, per_pass.sum(axis=1) - data.types.max_sessions * state.admitted)
    total: IntArray = in_pass + np.where(limited, beyond, 0)
    return total


def short_types(data: CompiledEvent, state: Incumbent) -> BoolArray:
    """Return per type whether its seats fall short of its own rules (``model.assignment``): a
    pass pinned (or any pass attended, when the event admits attendees) with fewer seats than admitted
    members, or a required seminar given to fewer."""
    n_types, n_passes = data.n_types, data.n_passes
    arc_pass = data.sessions.pass_[data.arcs.session]
    per_pass = np.bincount(
        data.arcs.type * n_passes + arc_pass, weights=state.seats, minlength=n_types * n_passes
    ).reshape(n_types, n_passes)
    need = (data.types.fixed >= 0) | (data.admits & (data.types.pass_block != NOT_ATTENDING))
    short: BoolArray = np.asarray((need & (per_pass < state.admitted[:, None])).any(axis=1))
    pairs = [(t, j) for t, required in enumerate(data.types.required) for j in required]
    if pairs:  # seats per (type, seminar), looked up for each seminar a type requires
        n_seminars = len(data.seminar_ids)
        key = data.arcs.type * n_seminars + data.sessions.seminar[data.arcs.session]
        keys, where = numbered(key)
        seats = np.bincount(where, weights=state.seats, minlength=len(keys))
        t, j = np.array(pairs, dtype=np.int64).T
        wanted = t * n_seminars + j
        at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        given = np.where(keys[at] == wanted, seats[at], 0) if len(keys) else np.zeros(len(t))
        short[t[given < state.admitted[t]]] = True
    return short


def _per_session(data: CompiledEvent, values: IntArray) -> IntArray:
    return np.bincount(data.arcs.session, weights=values, minlength=len(data.sessions.seminar)).astype(
        np.int64
    )


def limits(data: CompiledEvent, is_open: BoolArray | None) -> tuple[IntArray, IntArray]:
    """Return each session's capacity and minimum under the plan (0 and 0 when it does not run)."""
    n = len(data.sessions.seminar)
    if is_open is None:  # no plan yet: nothing runs
        is_open = np.zeros(len(data.candidates.seminar), dtype=bool)
    capacity = np.zeros(n, dtype=np.int64)
    minimum = np.zeros(n, dtype=np.int64)
    running = np.flatnonzero(is_open)
    np.maximum.at(capacity, data.candidates.slot[running], data.candidates.capacity[running])
    np.maximum.at(minimum, data.candidates.slot[running], data.candidates.minimum[running])
    if not data.planned:
        capacity = np.minimum(capacity, data.sessions.capacity)
    return capacity, minimum


def _mix_broken(data: CompiledEvent, on: _Seated, rule: object, seats: IntArray) -> IntArray:
    """Return per session how many of the diversity ``rule``'s constraints are broken there."""
    n = len(data.sessions.seminar)
    dim = rule.dim  # type: ignore[attr-defined]
    n_groups = len(data.groups.names[dim])
    group = data.types.group[on.type, dim]
    valued = group >= 0
    counts = np.zeros((n, n_groups), dtype=np.int64)
    np.add.at(counts, (on.session[valued], group[valued]), on.seats[valued])
    applies = seats >= rule.min_session_size  # type: ignore[attr-defined]
    broken = np.zeros(n, dtype=np.int64)
    if rule.max_share >= 0:  # type: ignore[attr-defined]
        limit = round(rule.max_share * POINTS) * seats  # type: ignore[attr-defined]
        broken += (counts * 10_000 > limit[:, None]).sum(axis=1)
    if rule.max_seats >= 0:  # type: ignore[attr-defined]
        broken += (counts > rule.max_seats).sum(axis=1)  # type: ignore[attr-defined]
    if rule.min_distinct > 0:  # type: ignore[attr-defined]
        broken += (counts > 0).sum(axis=1) < rule.min_distinct  # type: ignore[attr-defined]
    out: IntArray = broken * applies
    return out


def _plan_broken(data: CompiledEvent, state: Incumbent) -> int:
    """Return how many rules of the plan (``model.planning``) it breaks: a seminar that runs
    fewer sessions than it must, a pass with fewer than its least, a room or a seminar twice in
    a pass, two seminars of a different-pass group in one pass, same-pass groups apart."""
    if not data.planned or state.open is None:
        return 0
    cand, planning = data.candidates, data.planning
    n_seminars = len(data.seminar_ids)
    runs = np.bincount(cand.seminar[state.open], minlength=n_seminars)
    due = np.bincount(planning.run_seminar, minlength=n_seminars) + planning.extra_runs
    broken = int(((runs < due) & ~planning.optional).sum())
    per_pass = np.bincount(cand.pass_[state.open], minlength=data.n_passes)
    broken += int((per_pass < planning.min_sessions).sum())
    running = np.flatnonzero(state.open)
    for key in (cand.room, cand.seminar):  # a room hosts one session per pass; a seminar runs once
        pairs = key[running] * data.n_passes + cand.pass_[running]
        broken += len(pairs) - len(np.unique(pairs))
    for group in planning.different_pass:
        inside = running[np.isin(cand.seminar[running], group)]
        broken += int(np.maximum(0, np.bincount(cand.pass_[inside], minlength=data.n_passes) - 1).sum())
    for group in planning.same_pass:
        counts = np.zeros((len(group), data.n_passes), dtype=np.int64)
        for i, j in enumerate(group.tolist()):
            np.add.at(counts[i], cand.pass_[state.open & (cand.seminar == j)], 1)
        broken += int((counts != counts[:1]).any(axis=0).sum())
    return broken


def _parity_broken(data: CompiledEvent, on: _Seated) -> int:
    """Return how many parity rules' pairs of groups are further apart than allowed."""
    broken = 0
    rank = data.arcs.rank[on.arc]
    for rule in data.rules.parity:
        group = data.types.group[on.type, rule.dim]
        good = (rank >= 0) & (rank < rule.top) & (group >= 0)
        n_groups = len(data.groups.names[rule.dim])
        counts = np.bincount(group[good], weights=on.seats[good], minlength=n_groups).astype(np.int64)
        size = data.groups.places[rule.dim]
        limit = round(rule.max_gap * POINTS)
        for g, h in itertools.permutations(range(n_groups), 2):
            if size[g] and size[h]:
                gap = (
                    int(counts[g]) * int(size[h]) * 100 * POINTS
                    - int(counts[h]) * int(size[g]) * 100 * POINTS
                )
                broken += gap > limit * int(size[g]) * int(size[h])
    return broken
