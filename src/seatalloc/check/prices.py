"""What a seat costs, computed by the checker on its own from the event's records.

Written apart from ``Event.prices`` (which compile uses), so a pricing bug
cannot hide in both the solver and its judge.
"""

from __future__ import annotations

from seatalloc.schema.event import Event
from seatalloc.schema.records import Attendee


class Prices:
    """The cost of each seat to each attendee, by the rules of the event's objective."""

    def __init__(self, event: Event):
        self.objective = event.objective
        scores = [value for a in event.attendees if a.scores for value in a.scores.values()]
        self.highest_score = max(scores) if scores else 0

    def of(self, attendee: Attendee, seminar: str) -> int | None:
        """Return what seating ``attendee`` in ``seminar`` costs; None: only listed seminars may be given."""
        if attendee.costs:
            listed = attendee.costs.get(seminar)
        elif attendee.scores:
            score = attendee.scores.get(seminar)
            listed = None if score is None else self.highest_score - score
        elif seminar in attendee.choices:
            listed = self._rank(attendee.choices.index(seminar))
        else:
            listed = None
        if listed is not None:
            return listed
        return None if self.objective.only_listed else self.objective.unranked_cost

    def _rank(self, position: int) -> int:
        """The cost of the choice at 0-based ``position``: the squares by default."""
        table = self.objective.rank_costs
        if table is None:
            return position**2
        return table[position] if position < len(table) else self.objective.unranked_cost
