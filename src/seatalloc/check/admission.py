"""Independent checks of admission: who got in, who waits, and in what order.

Like the rest of the checker this reads only the event and the allocation,
in plain Python. It does not rerun the admission rule; it checks what any
correct run must satisfy.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from seatalloc.schema.allocation import Allocation
from seatalloc.schema.event import Event
from seatalloc.schema.records import Attendee


def _when(a: Attendee) -> datetime:
    if a.registered is None:
        return datetime.max.replace(tzinfo=UTC)
    return a.registered if a.registered.tzinfo else a.registered.replace(tzinfo=UTC)


def check_admission(
    event: Event, allocation: Allocation, placed: dict[tuple[str, str], str | None]
) -> list[str]:
    """Return the admission rules ``allocation`` breaks (empty when the event does not admit).

    ``placed`` maps (attendee, pass) to the seminar seated in, or None.
    """
    if not event.admits or allocation.status not in ("optimal", "feasible"):
        return []
    v: list[str] = []
    passes = [p.id for p in event.passes]
    admitted: list[Attendee] = []
    for a in event.attendees:
        attended = [p for p in passes if a.attends(p)]
        seated = sum(placed.get((a.id, p)) is not None for p in attended)
        if seated == len(attended):
            admitted.append(a)
        elif seated:
            v.append(
                f"attendee {a.id!r} is seated in {seated} of the {len(attended)} passes they attend; "
                "admitted means all"
            )
    if event.seat_limit is not None and len(admitted) > event.seat_limit:
        v.append(f"{len(admitted)} attendees admitted, more than the seat_limit {event.seat_limit}")

    day = allocation.as_of
    for a in admitted:
        when = a.registered.date() if a.registered is not None else None
        if a.fixed or when is None:
            continue
        if event.registration_deadline is not None and when > event.registration_deadline:
            v.append(f"attendee {a.id!r} registered {when}, after the deadline, but is admitted")
        if day is not None and when > day:
            v.append(f"attendee {a.id!r} registered {when}, after the as-of day {day}, but is admitted")

    per_org = Counter(a.organisation for a in admitted if not a.fixed)
    for r in event.reserves:
        held = r.until is None or day is None or day <= r.until
        if held and r.locked and per_org[r.organisation] > r.reserved:
            v.append(
                f"organisation {r.organisation!r} has {per_org[r.organisation]} admitted while its "
                f"reserve of {r.reserved} is locked until {r.until}"
            )
    v += _check_waitlist(event, allocation, {a.id for a in admitted}, day)
    return v


def _check_waitlist(event: Event, allocation: Allocation, admitted: set[str], day: date | None) -> list[str]:
    v: list[str] = []
    waiting = Counter(w.attendee for w in allocation.waitlist)
    for a in event.attendees:
        if a.id in admitted and waiting[a.id]:
            v.append(f"attendee {a.id!r} is admitted and on the waitlist")
        elif a.id not in admitted and waiting[a.id] != 1:
            v.append(f"attendee {a.id!r} is not admitted and on the waitlist {waiting[a.id]} times")
    positions = [w.position for w in allocation.waitlist if w.position is not None]
    if positions != list(range(1, len(positions) + 1)):
        v.append("waitlist positions are not 1, 2, 3, ... in order")
    rule = event.admission.rule if event.admission else "registration"
    if rule != "registration":
        return v
    # Registration order: the queue is in (priority class, registration time) order, and nobody
    # outside every reserve waits while someone registered later, in no higher class, got in.
    people = {a.id: a for a in event.attendees}
    key = {a.id: (-a.priority, _when(a)) for a in event.attendees}
    queue = [w.attendee for w in allocation.waitlist if w.position is not None and w.attendee in people]
    for before, after in zip(queue, queue[1:], strict=False):
        if key[after] < key[before]:
            v.append(f"waitlist: {after!r} registered before {before!r} but is behind them")
    # Reserves can let a later registrant in ahead of the queue, and keep seats held; so only
    # attendees without a reserve are compared, and only while no reserve holds seats.
    reserved = {r.organisation for r in event.reserves}
    held = any(r.until is None or day is None or day <= r.until for r in event.reserves)
    if held:
        return v
    first_out = min(
        (key[w] for w in queue if people[w].organisation not in reserved),
        default=None,
    )
    if first_out is not None:
        for who in sorted(admitted):
            person = people[who]
            if not person.fixed and person.organisation not in reserved and key[who] > first_out:
                v.append(f"attendee {who!r} got in although someone registered earlier waits")
    return v
