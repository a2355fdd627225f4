"""The colouring's flows on types merged by what the seminar flow gave them.

Colouring (``steps``, step 2) only asks which pass each wanted seat takes;
the seats' costs are already decided. Types of one member each whose wanted
seminars and open passes are the same are then interchangeable: one merged
type with their count stands for them, and each pass's flow has a node per
merged type instead of per type (the sparse catalogue of 1,000,000: 86,000
instead of 998,000; of 100,000: the colouring in 3.5 s instead of 7.9 s).
A merged type's seats per (seminar, pass) split into one itinerary per
member with distinct seminars (``solve.handout.patterns``: König's theorem),
handed to its types in a seeded order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from seatalloc.arrays import numbered
from seatalloc.compile import OPEN, CompiledEvent
from seatalloc.compile.data import Arcs
from seatalloc.solve.budget import Budget
from seatalloc.solve.handout import UNSEATED, patterns
from seatalloc.solve.methods.flow.network import Pairs

IntArray = NDArray[np.int64]

#: Merge only where it saves at least this share of the types (else colour them as they are), and
#: only types that at least this many others are like: handing a merged type's seats to its types
#: costs about what a type's node costs in the passes' flows (100-300 µs).
MERGE_SAVES, MERGE_LEAST = 0.2, 3

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
    group = _groups(data, pairs, wanted)
    n_groups = int(group.max(initial=-1)) + 1
    if pairs.shared or n_groups > (1 - MERGE_SAVES) * data.n_types:
        return colour(data, pairs, wanted, rng, budget)
    first = np.full(n_groups, data.n_types, dtype=np.int64)
    np.minimum.at(first, group, np.arange(data.n_types))  # each merged type's first type stands for it
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
    """Number the types so that types of one member, without pins, whose wanted seminars, open
    passes and seat limit are the same share a number when at least :data:`MERGE_LEAST` do; every
    other type has its own."""
    types = data.types
    single = (types.count == 1) & (types.fixed < 0).all(axis=1)
    n_seminars = len(data.seminar_ids)
    want = np.zeros((data.n_types, n_seminars), dtype=np.int8)
    want[pairs.type, pairs.seminar] = np.minimum(wanted, 1)
    columns = [want, (types.pass_block == OPEN).astype(np.int8), types.max_sessions[:, None].astype(np.int8)]
    rows = np.ascontiguousarray(np.concatenate(columns, axis=1))
    key = rows.view(np.dtype((np.void, rows.shape[1]))).ravel()
    _, group = numbered(key[single]) if single.any() else (None, np.zeros(0, dtype=np.int64))
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
    arc_key = data.arcs.type * n_sessions + data.arcs.session  # ascending: arcs by type, then session
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
        key = np.concatenate(given_type) * n_sessions + np.concatenate(given_session)
        seats[np.searchsorted(arc_key, key)] = 1
    return seats
