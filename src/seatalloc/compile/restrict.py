"""Sub-events for a large-neighbourhood search: some types free, the rest held.

:func:`restrict` keeps the sessions, rooms, plan and rules of a compiled
event and only the types it frees (every sub-type of a base type together, so
venue itineraries and pins stay whole, and every type of a party together).
The seats of the other types become :class:`~seatalloc.compile.data.Held`
constants that each rule across types adds to its own count, so a model of
the sub-event states exactly the event's rules with the held seats fixed.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from seatalloc.arrays import numbered
from seatalloc.compile.data import (
    Arcs,
    BoolArray,
    CompiledEvent,
    Held,
    IntArray,
    Members,
)


def whole(data: CompiledEvent, types: IntArray) -> IntArray:
    """Return ``types`` grown to whole base types and whole parties, sorted."""
    chosen = np.zeros(data.n_types, dtype=bool)
    chosen[types] = True
    bases = np.zeros(data.n_base_types, dtype=bool)
    bases[data.types.parent[chosen]] = True
    chosen |= bases[data.types.parent]
    parties = np.unique(data.types.party[chosen & (data.types.party >= 0)])
    if len(parties):
        chosen |= np.isin(data.types.party, parties)
        bases[data.types.parent[chosen]] = True
        chosen |= bases[data.types.parent]
    return np.flatnonzero(chosen)


def restrict(
    data: CompiledEvent,
    free: IntArray,
    seats: IntArray,
    admitted: IntArray,
    is_open: BoolArray | None,
    *,
    soft_minimum: bool = False,
) -> CompiledEvent:
    """Return the sub-event of the types ``free`` (whole, see :func:`whole`), the others held.

    Parameters
    ----------
    data
        The whole compiled event.
    free
        The types to solve again, sorted, whole base types and parties.
    seats, admitted
        The current seats per arc and admitted members per type of the whole event.
    is_open
        Which candidate sessions run, held as they are; None lets the sub-event plan.
    soft_minimum
        Minimum attendance may fall short, at a cost (while a first allocation is built).
    """
    keep = np.zeros(data.n_types, dtype=bool)
    keep[free] = True
    new_index = np.cumsum(keep) - 1
    arc_kept = keep[data.arcs.type]
    arcs = free_arcs(data, free)
    held_arcs = np.flatnonzero(~arc_kept & (seats > 0))
    held_type = data.arcs.type[held_arcs]
    held_persons = admitted * data.types.size
    held_types = ~keep & (data.types.organisation >= 0)
    admitted_persons = np.bincount(
        data.types.organisation[held_types],
        weights=held_persons[held_types],
        minlength=len(data.organisation_ids),
    ).astype(np.int64)
    held = Held(
        session=data.arcs.session[held_arcs],
        seats=seats[held_arcs].astype(np.int64),
        size=data.types.size[held_type],
        organisation=data.types.organisation[held_type],
        group=data.types.group[held_type],
        rank=data.arcs.rank[held_arcs],
        admitted_persons=admitted_persons,
        open=None if is_open is None else is_open.astype(np.int64),
    )
    bases, parent = numbered(data.types.parent[free])
    members = np.diff(data.members.start)[bases]
    none = np.zeros(0, dtype=np.int64)
    t = data.types
    types = replace(t.take(free), parent=parent.astype(np.int64))
    first = free[_first_of_base(parent)]
    wanted = members * np.minimum(t.max_sessions[first], data.n_passes)
    return replace(
        data,
        types=types,
        members=Members(none, none, np.r_[0, np.cumsum(members)].astype(np.int64), none, none),
        arcs=Arcs(
            type=new_index[data.arcs.type[arcs]],
            session=data.arcs.session[arcs],
            cost=data.arcs.cost[arcs],
            rank=data.arcs.rank[arcs],
            fits=tuple(data.arcs.fits[e] for e in arcs.tolist()),
        ),
        wanted=int(wanted.sum()),
        wanted_weight=int(wanted @ t.weight[first]),
        held=held,
        soft_minimum=soft_minimum,
    )


def free_arcs(data: CompiledEvent, free: IntArray) -> IntArray:
    """Return the arcs of the types ``free``, in the order of the sub-event's arcs."""
    keep = np.zeros(data.n_types, dtype=bool)
    keep[free] = True
    return np.flatnonzero(keep[data.arcs.type])


def _first_of_base(parent: IntArray) -> IntArray:
    """Return the first type of each base type (``parent`` is sorted)."""
    if len(parent) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, parent[1:] != parent[:-1]])
