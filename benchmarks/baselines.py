"""Baselines a registration app would use: first come first served, and random serial dictatorship.

Both walk the attendees in an order (registration order, or a seeded random
one) and give each, pass by pass, the best listed seminar that still has a
seat for them: the room has capacity and what they need, the organisation's
session quota is not reached, the seminar is not excluded, pinned or taken in
another pass, up to their ``max_sessions``. No optimisation: what is taken
is taken. The result is an
:class:`~seatalloc.schema.Allocation`, so the independent checker prices and
validates it like any other.
"""

from __future__ import annotations

import random
from collections import Counter

from seatalloc import Event, check
from seatalloc.compile.order import registration_order
from seatalloc.schema import Allocation, Assignment, Unseated


def serve(event: Event, order: list[int]) -> Allocation:
    """Seat attendees one by one in ``order`` (indices into ``event.attendees``)."""
    rooms = {r.id: r for r in event.rooms}
    sessions = {p.id: [s for s in event.sessions if s.pass_ == p.id] for p in event.passes}
    fill: Counter[tuple[str, str, str]] = Counter()
    org_fill: Counter[tuple[str, str, str, str]] = Counter()
    quotas = [q for q in event.quotas if q.max_per_session is not None]
    top = event.top_score
    assignments, unseated = [], []
    for a in (event.attendees[i] for i in order):
        taken: set[str] = set()
        for p in event.passes:
            if a.max_sessions is not None and len(taken) >= a.max_sessions:
                unseated.append(Unseated(a.id, p.id, "max-sessions", "has the sessions they asked for"))
                continue
            options = []
            for s in sessions[p.id]:
                key = (s.seminar, s.pass_ or "", s.room or "")
                room = rooms[s.room or ""]
                cost = event.cost(a, s.seminar, top=top)
                pinned = a.pins.get(p.id)
                if (
                    cost is None
                    or (pinned and pinned != s.seminar)
                    or s.seminar in taken
                    or s.seminar in a.excluded
                ):
                    continue
                if fill[key] + a.size > room.capacity or not set(a.needs) <= set(room.features):
                    continue
                if a.organisation and any(
                    q.organisation == a.organisation
                    and q.seminar in (None, s.seminar)
                    and q.pass_ in (None, p.id)
                    and org_fill[(a.organisation, *key)] + a.size > (q.max_per_session or 0)
                    for q in quotas
                ):
                    continue
                options.append((cost, s.seminar, key))
            if not options:
                unseated.append(Unseated(a.id, p.id, "full", "no seat left when their turn came"))
                continue
            _, seminar, key = min(options)
            taken.add(seminar)
            fill[key] += a.size
            if a.organisation:
                org_fill[(a.organisation, *key)] += a.size
            assignments.append(Assignment(a.id, p.id, seminar, key[2]))
    provisional = Allocation.model_validate(
        {
            "status": "feasible",
            "objective": None,
            "bound": None,
            "gap": None,
            "assignments": assignments,
            "unseated": unseated,
            "stats": {"attendees": len(event.attendees), "types": 0, "choice_counts": {}, "sessions": []},
        }
    )
    people = {a.id: a for a in event.attendees}
    counts = Counter(
        str(people[x.attendee].choices.index(x.seminar) + 1)
        if x.seminar in people[x.attendee].choices
        else "unranked"
        for x in assignments
    )
    counts["unseated"] = len(unseated)
    stats = provisional.stats.model_copy(update={"choice_counts": dict(counts)})
    return provisional.model_copy(update={"objective": check(event, provisional).objective, "stats": stats})


def first_come_first_served(event: Event) -> Allocation:
    """Seat attendees in registration order (input order when no time is given)."""
    order = registration_order(event).argsort(kind="stable").tolist()
    return serve(event, order)


def random_serial_dictatorship(event: Event, seed: int = 0) -> Allocation:
    """Seat attendees in a random order drawn from ``seed``."""
    order = list(range(len(event.attendees)))
    random.Random(seed).shuffle(order)
    return serve(event, order)
