"""Independent checks of a response round: what the answers promise, from the offers, the answers
and the new allocation alone, in plain Python like the rest of the checker.

The new allocation is also an allocation of the whole event (:func:`~seatalloc.check.check`).
"""

from __future__ import annotations

from datetime import date

from seatalloc.schema.allocation import Allocation
from seatalloc.schema.event import Event
from seatalloc.schema.responses import Responses


def check_round(
    event: Event, offers: Allocation, responses: Responses, now: Allocation, as_of: date | None = None
) -> list[str]:
    """Return every promise of a response round that ``now`` breaks (empty when it keeps them).

    A confirmed seat (accepted by ``respond_by``) is where it was; an attendee whose last answer
    declines, or whose offer lapsed (not confirmed by ``respond_by``, solved as of a later day:
    ``as_of``, else the day of the latest answer), has no seat and waits with that code; ``offers``
    names exactly those seated now who had no seat before.
    """
    v: list[str] = []
    last = {r.attendee: r for r in responses.responses}
    due = event.respond_by
    day = as_of or max((r.when.date() for r in responses.responses if r.when is not None), default=None)
    before = {(x.attendee, x.pass_): (x.seminar, x.room) for x in offers.assignments}
    after = {(x.attendee, x.pass_): (x.seminar, x.room) for x in now.assignments}
    offered = {a for a, _ in before}
    seated = {a for a, _ in after}
    waiting = {w.attendee: w.code for w in now.waitlist}
    for a in event.attendees:
        answer = last.get(a.id)
        on_time = answer is not None and (due is None or answer.when is None or answer.when.date() <= due)
        if answer is not None and answer.response == "accepted" and on_time:
            for (who, pass_id), seat in before.items():
                if who == a.id and after.get((who, pass_id)) != seat:
                    v.append(f"attendee {a.id!r} confirmed {seat} in pass {pass_id!r} and it moved")
            continue
        declined = answer is not None and answer.response == "declined"
        lapsed = not declined and a.id in offered and due is not None and day is not None and day > due
        code = "declined" if declined else "lapsed" if lapsed else None
        if code is None:
            continue
        if a.id in seated:
            v.append(f"attendee {a.id!r} {code} and has a seat")
        if waiting.get(a.id) != code:
            v.append(f"attendee {a.id!r} {code} but waits as {waiting.get(a.id)!r}")
    new = sorted(seated - offered)
    if sorted(now.offers) != new:
        v.append(f"the new offers are {list(now.offers)}, not those seated now without a seat before {new}")
    return v
