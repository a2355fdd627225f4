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

When the optimiser chooses rooms, an arc keeps only the candidate rooms in
its itinerary's venue (``arc_fits``), so the plan and the moves are decided
together.

The base types stay the unit of members (``type_members``, ``type_start``,
``attendee_type`` index them; ``type_parent`` maps sub-types to them); the
hand-out gives each sub-type its share of its base type's members.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np

from seatalloc.compile.data import CompiledEvent
from seatalloc.errors import SeatallocError
from seatalloc.schema.event import Event

NO_SEAT = -1


def expand_itineraries(data: CompiledEvent, event: Event) -> CompiledEvent:
    """Return ``data`` with types split by itinerary (unchanged when venue moves are free)."""
    rules = event.venue_moves
    if rules is None or not event.limits_venue_moves:
        return data
    if data.admits or data.resolving:
        raise SeatallocError("venue_moves is not supported yet together with admission or re-solving")
    venue_names = sorted({r.venue or "" for r in event.rooms})
    venue_of_room = np.array([venue_names.index(r.venue or "") for r in event.rooms], dtype=np.int64)
    candidates, arcs, types = data.candidates, data.arcs, data.types
    candidate_venue = venue_of_room[candidates.room]
    arc_pass = data.sessions.pass_[arcs.session]
    # The venues an arc's session may be in: its room's, or, when the optimiser chooses the
    # room, those of the candidates that fit the type; an itinerary keeps those in its venue.
    fits = [
        np.flatnonzero(candidates.slot == s) if f is None else f
        for s, f in zip(arcs.session.tolist(), arcs.fits, strict=True)
    ]
    arc_venues = [set(candidate_venue[f].tolist()) for f in fits]
    protected = set(rules.forbidden_for)
    needs_of = _needs_by_type(data, event)
    parents, moves, arcs_of, fits_of = [], [], [], []
    for t in range(data.n_types):
        mine = np.flatnonzero(arcs.type == t)
        options = []
        for p in range(data.n_passes):
            here = sorted(set().union(*(arc_venues[e] for e in mine[arc_pass[mine] == p].tolist())))
            # A pinned pass needs a seat (the model holds the pin); with no venue to sit in,
            # the itinerary has none there and the pin makes the event infeasible, by name.
            options.append(here if types.fixed[t, p] >= 0 and here else [NO_SEAT, *here])
        stay = rules.rule == "forbidden" or bool(protected & needs_of[t])
        for route in itertools.product(*options):
            seated = [(p, v) for p, v in enumerate(route) if v != NO_SEAT]
            changes = sum(
                1 for (p, v), (q, w) in zip(seated, seated[1:], strict=False) if q == p + 1 and v != w
            )
            if stay and len({v for _, v in seated}) > 1:
                continue
            kept, kept_fits = [], []
            for e in mine.tolist():
                venue = route[arc_pass[e]]
                if venue == NO_SEAT or venue not in arc_venues[e]:
                    continue
                inside = fits[e][candidate_venue[fits[e]] == venue]
                slot_size = int((candidates.slot == arcs.session[e]).sum())
                kept.append(e)
                kept_fits.append(None if len(inside) == slot_size else inside)
            parents.append(t)
            moves.append(changes)
            arcs_of.append(np.asarray(kept, dtype=np.int64))
            fits_of += kept_fits
    parent = np.asarray(parents, dtype=np.int64)
    split = replace(types.take(parent), parent=parent, moves=np.asarray(moves, dtype=np.int64))
    return replace(
        data,
        types=split,
        arcs=arcs.regroup(arcs_of, tuple(fits_of)),
        venue_move_cost=rules.cost if rules.rule == "penalised" else 0,
    )


def _needs_by_type(data: CompiledEvent, event: Event) -> list[set[str]]:
    """Return the needs of each type (from its first member)."""
    return [
        set(event.attendees[int(data.members.grouped[data.members.start[t]])].needs)
        for t in range(data.n_types)
    ]
