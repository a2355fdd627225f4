"""Itineraries: split types by the venue their members are in, pass by pass.

When moving between venues is penalised or forbidden, interchangeable
attendees are no longer interchangeable across venues: whether someone moves
depends on which of the type's seats they get in consecutive passes. So each
type is split into *sub-types*, one per itinerary (a venue, or no seat, in
every pass); the model decides how many members follow each itinerary, and
a sub-type's arcs are only to sessions in its itinerary's venues. A sub-type
whose itinerary changes venue between two passes where it is seated pays
the move cost per member; itineraries that change venue are left out where
moves are forbidden (for everyone, or for attendees with a protected need).

The base types stay the unit of members (``type_members``, ``type_start``,
``attendee_type`` index them; ``type_parent`` maps sub-types to them); the
hand-out gives each sub-type its share of its base type's members.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np

from seatalloc.compile.arrays import CompiledEvent
from seatalloc.errors import SeatallocError
from seatalloc.schema.event import Event

NO_SEAT = -1


def expand_itineraries(data: CompiledEvent, event: Event) -> CompiledEvent:
    """Return ``data`` with types split by itinerary (unchanged when venue moves are free)."""
    rules = event.venue_moves
    if rules is None or not event.limits_venue_moves:
        return data
    if data.planned or data.admits or data.resolving:
        raise SeatallocError(
            "venue_moves is not supported yet together with rooms chosen by the optimiser, "
            "admission or re-solving"
        )
    venue_names = sorted({r.venue or "" for r in event.rooms})
    venue_of_room = np.array([venue_names.index(r.venue or "") for r in event.rooms], dtype=np.int64)
    arc_venue = venue_of_room[data.session_room[data.arc_session]]
    arc_pass = data.session_pass[data.arc_session]
    protected = set(rules.forbidden_for)
    needs_of = _needs_by_type(data, event)
    parents, itineraries, moves, arcs_of = [], [], [], []
    for t in range(data.n_types):
        mine = np.flatnonzero(data.arc_type == t)
        options = []
        for p in range(data.n_passes):
            here = sorted(set(arc_venue[mine[arc_pass[mine] == p]].tolist()))
            # A pinned pass needs a seat (the model holds the pin); with no venue to sit in,
            # the itinerary has none there and the pin makes the event infeasible, by name.
            options.append(here if data.type_fixed[t, p] >= 0 and here else [NO_SEAT, *here])
        stay = rules.rule == "forbidden" or bool(protected & needs_of[t])
        for route in itertools.product(*options):
            seated = [(p, v) for p, v in enumerate(route) if v != NO_SEAT]
            changes = sum(
                1 for (p, v), (q, w) in zip(seated, seated[1:], strict=False) if q == p + 1 and v != w
            )
            if stay and len({v for _, v in seated}) > 1:
                continue
            parents.append(t)
            itineraries.append(route)
            moves.append(changes)
            arcs_of.append(mine[arc_venue[mine] == np.asarray(route)[arc_pass[mine]]])
    parent = np.asarray(parents, dtype=np.int64)
    arc_index = np.concatenate(arcs_of) if arcs_of else np.zeros(0, dtype=np.int64)
    arc_type = np.repeat(np.arange(len(parents)), [len(a) for a in arcs_of]).astype(np.int64)
    return replace(
        data,
        type_count=data.type_count[parent],
        type_size=data.type_size[parent],
        type_party=data.type_party[parent],
        type_priority=data.type_priority[parent],
        type_organisation=data.type_organisation[parent],
        type_fixed=data.type_fixed[parent],
        type_pass_block=data.type_pass_block[parent],
        type_group=data.type_group[parent],
        type_chosen=data.type_chosen[parent],
        type_previous=data.type_previous[parent],
        type_previous_cost=data.type_previous_cost[parent],
        type_parent=parent,
        type_moves=np.asarray(moves, dtype=np.int64),
        venue_move_cost=rules.cost if rules.rule == "penalised" else 0,
        arc_type=arc_type,
        arc_session=data.arc_session[arc_index],
        arc_cost=data.arc_cost[arc_index],
        arc_rank=data.arc_rank[arc_index],
        arc_fits=tuple(data.arc_fits[e] for e in arc_index.tolist()),
    )


def _needs_by_type(data: CompiledEvent, event: Event) -> list[set[str]]:
    """Return the needs of each type (from its first member)."""
    return [
        set(event.attendees[int(data.type_members[data.type_start[t]])].needs) for t in range(data.n_types)
    ]
