"""An allocation as arrays: each attendee's seminar, room and rank in every pass.

The summary and the report count outcomes per attendee, per group, venue moves
and needs. Walking a million attendees' two million seats as Python objects
once per figure took 13 s at 1,000,000; the seats are read into arrays once
here (one pass over the assignments) and every figure is a numpy count. The
allocation must belong to the event (:func:`~seatalloc.check.belongs.ensure_belongs`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from seatalloc.schema.allocation import Allocation
from seatalloc.schema.event import Event

IntArray = NDArray[np.int64]
#: ``rank`` of a place without a seat, of a seat in a seminar the attendee did not rank, and of a
#: pass the attendee does not attend (``available``).
UNSEATED, UNRANKED, ABSENT = -2, -1, -3


@dataclass(frozen=True)
class Places:
    """Per attendee (in the event's order) and pass (in the event's order)."""

    row: dict[str, int]  # attendee id -> row
    seminar: IntArray  # [N, P] seminar index, -1 without a seat
    room: IntArray  # [N, P] room index, -1 without a seat
    rank: IntArray  # [N, P] 0 for a first choice, 1 for a second, ...; UNRANKED; UNSEATED; ABSENT

    @classmethod
    def of(cls, event: Event, allocation: Allocation) -> Places:
        n, n_passes = len(event.attendees), len(event.passes)
        who = {a.id: i for i, a in enumerate(event.attendees)}
        when = {p.id: i for i, p in enumerate(event.passes)}
        what = {m.id: j for j, m in enumerate(event.seminars)}
        where = {r.id: k for k, r in enumerate(event.rooms)}
        rows = allocation.assignments
        count = len(rows)
        attendee = np.fromiter((who[x.attendee] for x in rows), dtype=np.int64, count=count)
        pass_ = np.fromiter((when[x.pass_] for x in rows), dtype=np.int64, count=count)
        seminar = np.full((n, n_passes), -1, dtype=np.int64)
        room = np.full((n, n_passes), -1, dtype=np.int64)
        seminar[attendee, pass_] = np.fromiter((what[x.seminar] for x in rows), dtype=np.int64, count=count)
        room[attendee, pass_] = np.fromiter((where[x.room] for x in rows), dtype=np.int64, count=count)
        # Choices by kind (attendees with the same list share one row), then each seat's rank in them.
        kinds: dict[tuple[str, ...], int] = {}
        kind = np.fromiter(
            (kinds.setdefault(a.choices, len(kinds)) for a in event.attendees), dtype=np.int64, count=n
        )
        widest = max((len(c) for c in kinds), default=0)
        choices = np.full((len(kinds), max(1, widest)), -2, dtype=np.int64)  # -2 never equals a seminar
        for c, k in kinds.items():
            choices[k, : len(c)] = [what[s] for s in c]
        same = choices[kind][:, None, :] == seminar[:, :, None]  # [N, P, K]
        rank = np.where(same.any(axis=2), same.argmax(axis=2), UNRANKED)
        rank[seminar < 0] = UNSEATED
        for i, a in enumerate(event.attendees):
            if a.available is not None:
                rank[i, [not a.attends(p.id) for p in event.passes]] = ABSENT
        return cls(who, seminar, room, rank)

    def first_any(self) -> NDArray[np.bool_]:
        """Per attendee: a first choice in some pass."""
        some: NDArray[np.bool_] = (self.rank == 0).any(axis=1)
        return some

    def seated_every(self) -> NDArray[np.bool_]:
        """Per attendee: a seat in every pass they attend."""
        every: NDArray[np.bool_] = np.asarray(
            ((self.seminar >= 0) | (self.rank == ABSENT)).all(axis=1), dtype=bool
        )
        return every

    def venue_moves(self, event: Event) -> int:
        """Attendees whose venue differs between two consecutive passes in which they have seats."""
        venues: dict[str | None, int] = {}
        venue = np.array(
            [venues.setdefault(r.venue, len(venues)) for r in event.rooms] + [-1], dtype=np.int64
        )
        at = venue[self.room]  # (a room of -1 reads the -1 at the end)
        both = (at[:, :-1] >= 0) & (at[:, 1:] >= 0)
        return int((both & (at[:, :-1] != at[:, 1:])).any(axis=1).sum())


__all__ = ["ABSENT", "UNRANKED", "UNSEATED", "Places"]
