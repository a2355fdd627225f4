"""The flow method's pass flows on types merged where they are alike for that flow.

Colouring (``steps``, step 2) only asks which pass each wanted seat takes;
the seats' costs are already decided. Types of one member each with the same
sessions of the seminars they want, open passes and seat limit are then
interchangeable: one merged type with their count stands for them, and each
pass's flow has a node per merged type instead of per type (the sparse
catalogue of 1,000,000: 86,000 instead of 998,000). A merged type's seats
per (seminar, pass) split into one itinerary per member with distinct
seminars (``solve.handout.patterns``: König's theorem), handed to its types
in a seeded order. Re-seating one pass (``steps._improve``) likewise merges
the types of one member with the same sessions open at the same costs
(:class:`PassUnits`). Where merging saves less than :data:`MERGE_SAVES` of
the nodes (the sparse catalogue of 100,000's colouring), the flows run on
the types as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from seatalloc.arrays import numbered
from seatalloc.compile import OPEN, CompiledEvent
from seatalloc.compile.data import Arcs
from seatalloc.errors import SeatallocError
from seatalloc.solve.budget import Budget
from seatalloc.solve.handout import UNSEATED, patterns
from seatalloc.solve.methods.flow.network import Pairs

IntArray = NDArray[np.int64]

#: Merge only where it saves at least this share of the types (else colour them as they are), and
#: only types that at least this many others are like: handing a merged type's seats to its types
#: costs about what a type's node costs in the passes' flows (100-300 µs).
MERGE_SAVES, MERGE_LEAST = 0.2, 3
#: A pass's flow merges types only where each has at most this many sessions open in it.
MERGE_WIDTH = 12

Colour = Callable[[CompiledEvent, Pairs, IntArray, np.random.Generator, Budget], IntArray]


def colour_merged(
    data: CompiledEvent,
    pairs: Pairs,
    wanted: IntArray,
    colour: Colour,
    rng: np.random.Generator,
    budget: Budget,
) -> IntArray:
    """Return ``colour``'s seats per arc of ``data`` for the ``wanted`` seats per pair, its flows
    run on the merged types where merging saves :data:`MERGE_SAVES` of them."""
    if pairs.shared:  # (a pair's seats may then be in two sessions of one pass)
        return colour(data, pairs, wanted, rng, budget)
    group = _groups(data, pairs, wanted)
    n_groups = int(group.max(initial=-1)) + 1
    if n_groups > (1 - MERGE_SAVES) * data.n_types:
        return colour(data, pairs, wanted, rng, budget)
    first = _firsts(group, n_groups)  # each merged type's first type stands for it
    # The merged event: its first type's arcs to the seminars wanted, the members of all of them.
    size = np.bincount(group, minlength=n_groups)
    keep = np.flatnonzero((first[group[data.arcs.type]] == data.arcs.type) & (wanted[pairs.of_arc] > 0))
    arcs = data.arcs
    merged_arcs = Arcs(
        type=group[arcs.type[keep]],
        session=arcs.session[keep],
        cost=arcs.cost[keep],
        rank=arcs.rank[keep],
        fits=(None,) * len(keep),
    )
    merged_types = data.types.take(first)
    count = np.where(size > 1, size, merged_types.count)
    merged = replace(data, types=replace(merged_types, count=count), arcs=merged_arcs)
    merged_pairs = Pairs(merged)
    # each merged pair wants as many seats as its types' pairs together
    n_seminars = len(data.seminar_ids)
    key = merged_pairs.type * n_seminars + merged_pairs.seminar
    at = np.searchsorted(key, group[pairs.type] * n_seminars + pairs.seminar)
    found = at < len(key)
    found[found] &= key[at[found]] == (group[pairs.type] * n_seminars + pairs.seminar)[found]
    merged_wanted = np.zeros(len(merged_pairs), dtype=np.int64)
    np.add.at(merged_wanted, at[found], wanted[found])
    merged_seats = colour(merged, merged_pairs, merged_wanted, rng, budget)
    return _hand_to_types(data, group, first, size, keep, merged_seats, rng)


def _groups(data: CompiledEvent, pairs: Pairs, wanted: IntArray) -> IntArray:
    """Number the types so that types of one member, without pins, with the same sessions of the
    seminars wanted, open passes and seat limit share a number when at least :data:`MERGE_LEAST`
    do; every other type has its own."""
    types, arcs = data.types, data.arcs
    single = (types.count == 1) & (types.fixed < 0).all(axis=1)
    mine = np.flatnonzero(wanted[pairs.of_arc] > 0)  # arcs to the seminars wanted: one bit a session
    sessions = np.zeros((data.n_types, (len(data.sessions.seminar) + 7) // 8), dtype=np.uint8)
    bit = (1 << (arcs.session[mine] % 8)).astype(np.uint8)
    np.bitwise_or.at(sessions, (arcs.type[mine], arcs.session[mine] // 8), bit)
    columns = [
        sessions,
        (types.pass_block == OPEN).astype(np.uint8),
        types.max_sessions[:, None].astype(np.uint8),
    ]
    group = _numbered_rows(np.concatenate(columns, axis=1)[single])
    together = np.zeros(data.n_types, dtype=bool)
    together[single] = np.bincount(group)[group] >= MERGE_LEAST
    out = np.empty(data.n_types, dtype=np.int64)
    merged = numbered(group[together[single]])[1]
    out[together] = merged
    alone = np.flatnonzero(~together)
    out[alone] = int(merged.max(initial=-1)) + 1 + np.arange(len(alone))
    return out


def _hand_to_types(
    data: CompiledEvent,
    group: IntArray,
    first: IntArray,
    size: IntArray,
    keep: IntArray,
    merged_seats: IntArray,
    rng: np.random.Generator,
) -> IntArray:
    """Return the seats per arc of ``data`` that hand each merged type's seats (on the arcs
    ``keep`` of its first type) to its types, one itinerary each."""
    seats = np.zeros(len(data.arcs.type), dtype=np.int64)
    alone = size[group[data.arcs.type[keep]]] == 1
    seats[keep[alone]] = merged_seats[alone]  # a type on its own: its own arcs
    n_sessions = len(data.sessions.seminar)
    session_of = np.full((len(data.seminar_ids), data.n_passes), -1, dtype=np.int64)
    session_of[data.sessions.seminar, data.sessions.pass_] = np.arange(n_sessions)
    shared = np.flatnonzero(~alone & (merged_seats > 0))
    g_of = group[data.arcs.type[keep[shared]]]
    order = np.argsort(g_of, kind="stable")
    shared, g_of = shared[order], g_of[order]
    cuts = np.flatnonzero(np.r_[True, g_of[1:] != g_of[:-1]]) if len(g_of) else g_of
    members_of = np.argsort(group, kind="stable")
    member_start = np.searchsorted(group[members_of], np.arange(len(size) + 1))
    given_type: list[IntArray] = []  # the members' seats: their types and sessions
    given_session: list[IntArray] = []
    for lo, hi in zip(cuts.tolist(), [*cuts[1:].tolist(), len(shared)][: len(cuts)], strict=True):
        g = int(g_of[lo])
        mine = shared[lo:hi]
        sessions = data.arcs.session[keep[mine]]
        seminars, row = np.unique(data.sessions.seminar[sessions], return_inverse=True)
        m = np.zeros((len(seminars), data.n_passes), dtype=np.int64)
        np.add.at(m, (row.ravel(), data.sessions.pass_[sessions]), merged_seats[mine])
        members = rng.permutation(members_of[member_start[g] : member_start[g + 1]])
        at = 0
        for pattern, k in patterns(m, len(members)):
            taken = [int(session_of[seminars[j], p]) for p, j in enumerate(pattern) if j != UNSEATED]
            given_type.append(np.repeat(members[at : at + k], len(taken)))
            given_session.append(np.tile(taken, k))
            at += k
    if given_type:
        seats[_arcs_of(data, np.concatenate(given_type), np.concatenate(given_session))] = 1
    return seats


def _arcs_of(data: CompiledEvent, types: IntArray, sessions: IntArray) -> IntArray:
    """Return the arcs from ``types`` to ``sessions``; an internal error where one has none."""
    n_sessions = len(data.sessions.seminar)
    arc_key = data.arcs.type * n_sessions + data.arcs.session  # ascending: by type, then session
    key = types * n_sessions + sessions
    at = np.minimum(np.searchsorted(arc_key, key), len(arc_key) - 1)
    if len(key) and (arc_key[at] != key).any():
        raise SeatallocError("internal error: a merged type's seat is not open to one of its types")
    return at


def _numbered_rows(rows: np.ndarray) -> IntArray:
    """Number the rows of ``rows``: equal rows, equal numbers (0, 1, ... in the rows' order)."""
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    rows = np.ascontiguousarray(rows)
    return numbered(rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel())[1]


def _firsts(group: IntArray, n_groups: int) -> IntArray:
    """Return the first index of each of ``n_groups`` groups numbered by ``group``."""
    first = np.full(n_groups, len(group), dtype=np.int64)
    np.minimum.at(first, group, np.arange(len(group)))
    return first


@dataclass(frozen=True)
class PassUnits:
    """The nodes of one pass's re-seating flow (``steps._improve``): a node per type, except that
    types of one member with a free seat in the pass and the same sessions open to them at the
    same costs share one (the pass's flow is the same problem, and any member may take any of
    their seats)."""

    unit: IntArray  # [T] each type's node
    free: IntArray  # [U] members of each node without a seat in the pass
    size: IntArray  # [U] types merged into each node (1: a type on its own)
    arc: IntArray  # the node's arcs: the arc of the type that stands for it
    cap: IntArray  # seats each arc may carry

    @property
    def n_units(self) -> int:
        return len(self.free)

    def hand_out(
        self, data: CompiledEvent, flows: IntArray, rng: np.random.Generator
    ) -> tuple[IntArray, IntArray]:
        """Return the arcs of ``data`` and their seats that ``flows`` (per node arc) give: a type on
        its own takes its flows, a merged node's seats go to its types one each, in a seeded order."""
        alone = self.size[self.unit[data.arcs.type[self.arc]]] == 1
        shared = np.flatnonzero(~alone & (flows > 0))
        unit = self.unit[data.arcs.type[self.arc[shared]]]
        order = np.argsort(unit, kind="stable")
        shared, unit = shared[order], unit[order]
        seat_arc = np.repeat(self.arc[shared], flows[shared])
        seat_unit = np.repeat(unit, flows[shared])
        rank = np.arange(len(seat_unit)) - np.searchsorted(seat_unit, seat_unit)
        members = np.lexsort((rng.random(data.n_types), self.unit))  # by node, in a seeded order
        start = np.searchsorted(self.unit[members], np.arange(self.n_units))
        member = members[start[seat_unit] + rank]
        given = _arcs_of(data, member, data.arcs.session[seat_arc])
        arcs = np.concatenate([self.arc[alone], given])
        return arcs, np.concatenate([flows[alone], np.ones(len(given), dtype=np.int64)])


def pass_units(
    data: CompiledEvent, pairs: Pairs, arcs: IntArray, headroom: IntArray, free: IntArray
) -> PassUnits | None:
    """Return the nodes of the flow that re-seats the movable ``arcs`` of one pass, with
    ``headroom`` seats per pair and ``free`` members per type; None where merging saves less than
    :data:`MERGE_SAVES` of the types or a type reaches two sessions of a seminar in the pass."""
    if pairs.shared:
        return None
    open_arcs = arcs[headroom[pairs.of_arc[arcs]] > 0]
    t = data.arcs.type[open_arcs]
    code = data.arcs.session[open_arcs] * (int(data.arcs.cost.max(initial=0)) + 1) + data.arcs.cost[open_arcs]
    order = np.lexsort((code, t))
    open_arcs, t, code = open_arcs[order], t[order], code[order]
    rank = np.arange(len(t)) - np.searchsorted(t, t)
    width = int(rank.max(initial=-1)) + 1
    if width > MERGE_WIDTH:
        return None
    rows = np.full((data.n_types, width + 1), -1, dtype=np.int64)
    rows[t, rank] = code
    single = (data.types.count == 1) & (free == 1)
    rows[:, width] = np.where(single, -1, np.arange(data.n_types))  # the others stay on their own
    unit = _numbered_rows(rows)
    n_units = int(unit.max(initial=-1)) + 1
    if n_units > (1 - MERGE_SAVES) * data.n_types:
        return None
    size = np.bincount(unit, minlength=n_units)
    first = _firsts(unit, n_units)
    node_free = np.where(size > 1, size, free[first])
    mine = open_arcs[first[unit[t]] == t]  # the arcs of the type that stands for each node
    merged_size = size[unit[data.arcs.type[mine]]]
    cap = np.where(merged_size > 1, merged_size, headroom[pairs.of_arc[mine]])
    return PassUnits(unit, node_free, size, mine, cap)
