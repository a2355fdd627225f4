"""Hand out a type's seats to its members so nobody repeats a seminar or exceeds max_sessions.

The model decides, per type, how many members sit in each session. Here the
counts become people. For one type with ``n`` admitted members, think of a
bipartite multigraph between seminars and passes with ``M[j, p]`` edges
(members in seminar ``j`` in pass ``p``) plus one private "unseated" vertex
per unseated member-pass. Every pass has degree ``n`` and, by the model's
no-repeat rule, every seminar has degree at most ``n``. By König's
edge-colouring theorem the edges split into ``n`` matchings that each cover
every pass: one per member, with distinct seminars.

We find that split without enumerating members: repeatedly take a matching
that covers every pass and every *tight* seminar (degree ``n``), and use it
``k`` times, as many as its edges allow and no other seminar becomes over-
tight. Each round removes an edge or makes a seminar tight, so the number of
rounds is bounded by the number of distinct seminars and passes, not by
``n``. Members get the resulting patterns in a seeded random order, so
interchangeable attendees are treated alike and the result is reproducible.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from seatalloc.compile import CompiledEvent
from seatalloc.errors import SeatallocError

UNSEATED = -1


def _cover(m: NDArray[np.int64], unseated: NDArray[np.int64], n: int) -> list[int]:
    """Return a seminar (or ``UNSEATED``) per pass: distinct seminars, covering tight ones."""
    n_seminars, n_passes = m.shape
    seminar_of_pass = [UNSEATED - 1] * n_passes  # UNSEATED - 1 means not yet matched
    pass_of_seminar = [-1] * n_seminars

    def from_seminar(j: int, seen: set[int]) -> bool:
        for p in np.flatnonzero(m[j]).tolist():
            if p in seen:
                continue
            seen.add(p)
            other = seminar_of_pass[p]
            if other < 0 or from_seminar(other, seen):
                seminar_of_pass[p], pass_of_seminar[j] = j, p
                return True
        return False

    def from_pass(p: int, seen: set[int]) -> bool:
        if unseated[p] > 0:
            seminar_of_pass[p] = UNSEATED
            return True
        for j in np.flatnonzero(m[:, p]).tolist():
            if j in seen:
                continue
            seen.add(j)
            other = pass_of_seminar[j]
            if other < 0 or from_pass(other, seen):
                seminar_of_pass[p], pass_of_seminar[j] = j, p
                return True
        return False

    for j in np.flatnonzero(m.sum(axis=1) == n).tolist():
        if not from_seminar(j, set()):
            raise SeatallocError("internal error: seats cannot be handed out (tight seminar)")
    for p in range(n_passes):
        if seminar_of_pass[p] == UNSEATED - 1 and not from_pass(p, set()):
            raise SeatallocError("internal error: seats cannot be handed out (pass)")
    return seminar_of_pass


def patterns(m: NDArray[np.int64], n: int) -> list[tuple[list[int], int]]:
    """Split a type's seminar-by-pass counts into member patterns.

    Parameters
    ----------
    m
        ``m[j, p]``: members of the type in seminar ``j`` in pass ``p``.
        Column sums are at most ``n`` and row sums at most ``n``.
    n
        Admitted members of the type.

    Returns
    -------
    list of (pattern, k)
        ``pattern[p]`` is the seminar (or ``UNSEATED``) in pass ``p``, shared
        by ``k`` members; the ``k`` add up to ``n``.
    """
    m = m.copy()
    unseated = n - m.sum(axis=0)
    out: list[tuple[list[int], int]] = []
    while n > 0:
        pattern = _cover(m, unseated, n)
        degree = m.sum(axis=1)
        used = [j for j in pattern if j != UNSEATED]
        k = n
        for p, j in enumerate(pattern):
            k = min(k, int(m[j, p]) if j != UNSEATED else int(unseated[p]))
        idle = np.ones(len(m), dtype=bool)
        idle[used] = False
        if idle.any():
            k = min(k, int(n - degree[idle].max()))
        for p, j in enumerate(pattern):
            if j == UNSEATED:
                unseated[p] -= k
            else:
                m[j, p] -= k
        n -= k
        out.append((pattern, k))
    return out


def hand_out(
    data: CompiledEvent, seats: NDArray[np.int64], admitted: NDArray[np.int64], seed: int
) -> tuple[NDArray[np.int64], NDArray[np.bool_], NDArray[np.int64]]:
    """Turn type-level seat counts into a session per attendee and pass.

    Parameters
    ----------
    data
        The compiled event.
    seats
        Seats per arc, as solved.
    admitted
        Admitted members per type (the type's count unless the event admits
        attendees or a ``max_seats`` quota applies). With admission, the
        members admitted are the first in the admission rule's order.
    seed
        Seed of the order in which a type's members receive its patterns.

    Returns
    -------
    session, admitted_mask, member_type
        ``session[a, p]`` is attendee ``a``'s session in pass ``p`` or ``-1``;
        ``admitted_mask[a]`` is False for attendees not admitted or left out
        by a ``max_seats`` quota; ``member_type[a]`` is the type (the venue
        itinerary, when types are split by venue) they were handed out to.
    """
    rng = np.random.default_rng(seed)
    session = np.full((data.n_attendees, data.n_passes), -1, dtype=np.int64)
    admitted_mask = np.ones(data.n_attendees, dtype=bool)
    member_type = data.members.type.copy()
    used = np.flatnonzero(seats > 0)
    arc_order = used[np.argsort(data.arcs.type[used], kind="stable")]
    bounds = np.searchsorted(data.arcs.type[arc_order], np.arange(data.n_types + 1))
    by_parent = np.argsort(data.types.parent, kind="stable")  # base b's types: by_parent[cut[b]:cut[b + 1]]
    cut = np.searchsorted(data.types.parent[by_parent], np.arange(data.n_base_types + 1))
    # A type of one member that is seated gets its seats as they are (most types in large catalogues).
    alone = np.zeros(data.n_types, dtype=bool)
    if not data.itineraries:
        alone = (data.types.count == 1) & (admitted == 1)
        mine = used[alone[data.arcs.type[used]]]
        member = data.members.grouped[data.members.start[data.arcs.type[mine]]]
        session[member, data.sessions.pass_[data.arcs.session[mine]]] = data.arcs.session[mine]
    for b in np.flatnonzero(~alone[: data.n_base_types]).tolist():
        subtypes = by_parent[cut[b] : cut[b + 1]]
        members = data.members.grouped[data.members.start[b] : data.members.start[b + 1]]
        if data.admits:  # the admission rule says who of the type gets in
            n = int(admitted[subtypes].sum())
            members = members[np.argsort(data.members.admission_rank[members], kind="stable")]
            members = np.concatenate((_order(data, members[:n], rng), members[n:]))
        else:
            members = _order(data, members, rng)
        start = 0
        for t in subtypes.tolist():  # one type, or its venue itineraries or run plans in turn
            n = int(admitted[t])
            mine, start = members[start : start + n], start + n
            member_type[mine] = t
            _hand_out_type(data, t, mine, seats, arc_order[bounds[t] : bounds[t + 1]], session)
        admitted_mask[members[start:]] = False
        member_type[members[start:]] = subtypes[0]  # a type of their base (not the base's index)
    return session, admitted_mask, member_type


def _hand_out_type(
    data: CompiledEvent,
    t: int,
    members: NDArray[np.int64],
    seats: NDArray[np.int64],
    arcs: NDArray[np.int64],
    session: NDArray[np.int64],
) -> None:
    """Give the ``len(members)`` admitted members of type ``t`` its seats on ``arcs``."""
    n_seminars, n_passes = len(data.seminar_ids), data.n_passes
    n = len(members)
    if len(arcs) == 0 or n == 0:
        return
    # A row per seminar and part: the parts of a run (one member in each, the same member) are
    # rows of their own, so the member's pattern holds the seminar once per part.
    n_rows = n_seminars * (1 + int(data.sessions.part.max(initial=0)))
    where = data.arcs.session[arcs]
    arc_seminar = data.sessions.seminar[where] + n_seminars * data.sessions.part[where]
    arc_pass = data.sessions.pass_[where]
    m = np.zeros((n_rows, n_passes), dtype=np.int64)
    np.add.at(m, (arc_seminar, arc_pass), seats[arcs])
    rows = np.full((n, n_passes), UNSEATED, dtype=np.int64)
    start = 0
    split = [
        ([j if j < n_rows else UNSEATED for j in pattern], k)
        for pattern, k in patterns(_with_rests(m, n, int(data.types.max_sessions[t])), n)
    ]
    if data.by_registration:  # cheapest outcomes first, to the earliest registrations
        cost = dict(zip(arc_seminar.tolist(), data.arcs.cost[arcs].tolist(), strict=True))
        split.sort(key=lambda item: sum(cost.get(j, data.unseated_cost) for j in item[0]))
    for pattern, k in split:
        rows[start : start + k] = pattern
        start += k
    for p in range(n_passes):
        for j in np.unique(arc_seminar[arc_pass == p]).tolist():
            these = arcs[(arc_pass == p) & (arc_seminar == j)]
            who = members[rows[:, p] == j]
            session[who, p] = np.repeat(data.arcs.session[these], seats[these])


def _with_rests(m: NDArray[np.int64], n: int, limit: int) -> NDArray[np.int64]:
    """Add ``passes - limit`` rows of ``n`` unseated member-passes each, below ``m``'s seminars.

    Each such row has degree ``n``, so every member's pattern covers it
    (König, as above): every member is unseated in at least ``passes - limit``
    passes, so nobody has more than ``limit`` sessions. The model keeps the
    type's seats within ``limit`` per member, so there are enough unseated
    member-passes to fill the rows.
    """
    n_passes = m.shape[1]
    if limit >= n_passes:
        return m
    unseated = np.repeat(np.arange(n_passes), n - m.sum(axis=0))[: (n_passes - limit) * n]
    rests = np.zeros((n_passes - limit, n_passes), dtype=np.int64)
    np.add.at(rests, (np.arange(len(unseated)) // n, unseated), 1)
    return np.vstack([m, rests])


def _order(data: CompiledEvent, members: NDArray[np.int64], rng: np.random.Generator) -> NDArray[np.int64]:
    """Order members for the hand-out: registration order, or a seeded lottery."""
    if data.by_registration:
        return members[np.argsort(data.members.registration[members], kind="stable")]
    return members[rng.permutation(len(members))]
