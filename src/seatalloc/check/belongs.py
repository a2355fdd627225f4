"""Whether an allocation belongs to an event, before anything reads one with the other.

An allocation belongs to an event when every attendee, pass, seminar and room
it names is the event's, and every attendee of the event is in it (seated,
unseated or on the waitlist) once it has seats. Reports, rosters, audits and
explanations of an allocation that does not belong would describe people and
rooms that do not exist, or fail on them: they refuse it with these problems.
"""

from __future__ import annotations

from collections import defaultdict

from seatalloc.errors import InputError, Problem
from seatalloc.schema.allocation import Allocation
from seatalloc.schema.event import Event

#: Records named per kind of mismatch; the rest are counted.
MOST_NAMED = 5


def mismatches(event: Event, allocation: Allocation) -> list[Problem]:
    """Return what keeps ``allocation`` from belonging to ``event``: at most :data:`MOST_NAMED`
    records per kind of mismatch, then one problem that counts the others."""
    known = {
        "attendee": {a.id for a in event.attendees},
        "pass": {p.id for p in event.passes},
        "seminar": {m.id for m in event.seminars},
        "room": {r.id for r in event.rooms},
    }
    a = allocation
    named = {x.attendee for x in a.assignments} | {u.attendee for u in a.unseated}
    named |= {w.attendee for w in a.waitlist}
    named = named.union(*(g.attendees for g in a.unseated_groups))
    used = {x.pass_ for x in a.assignments} | {u.pass_ for u in a.unseated}
    used |= {g.pass_ for g in a.unseated_groups}
    if (
        named <= known["attendee"]
        and used <= known["pass"]
        and {x.seminar for x in a.assignments} <= known["seminar"]
        and {x.room for x in a.assignments} <= known["room"]
    ):  # every id known (the usual case: one look at each set, not at each record)
        return _missing(event, a, named)
    found: dict[tuple[str, str], list[Problem]] = defaultdict(list)

    def look(record: str, kind: str, field: str, value: str | None) -> None:
        if value is not None and value not in known[kind]:
            found[record.split("[")[0], kind].append(Problem(record, field, f"unknown {kind} {value!r}"))

    for i, x in enumerate(allocation.assignments):
        where = f"assignments[{i}]"
        look(where, "attendee", "attendee", x.attendee)
        look(where, "pass", "pass", x.pass_)
        look(where, "seminar", "seminar", x.seminar)
        look(where, "room", "room", x.room)
    for i, u in enumerate(allocation.unseated):
        look(f"unseated[{i}]", "attendee", "attendee", u.attendee)
        look(f"unseated[{i}]", "pass", "pass", u.pass_)
    for i, g in enumerate(allocation.unseated_groups):
        look(f"unseated_groups[{i}]", "pass", "pass", g.pass_)
        for k, attendee in enumerate(g.attendees):
            look(f"unseated_groups[{i}].attendees[{k}]", "attendee", "attendee", attendee)
    for i, w in enumerate(allocation.waitlist):
        look(f"waitlist[{i}]", "attendee", "attendee", w.attendee)
    problems: list[Problem] = []
    for (part, kind), listed in found.items():
        problems += listed[:MOST_NAMED]
        if len(listed) > MOST_NAMED:
            more = len(listed) - MOST_NAMED
            problems.append(Problem(part, "", f"and {more:,} more unknown {kind}{'s' if more > 1 else ''}"))
    return problems + _missing(event, allocation, named)


def _missing(event: Event, allocation: Allocation, named: set[str]) -> list[Problem]:
    """The problem of attendees of the event that an allocation with seats does not name."""
    if not (allocation.assignments or allocation.unseated or allocation.unseated_groups):
        return []
    missing = [a.id for a in event.attendees if a.id not in named]
    if not missing:
        return []
    shown = ", ".join(repr(m) for m in missing[:MOST_NAMED])
    rest = f" and {len(missing) - MOST_NAMED:,} more" if len(missing) > MOST_NAMED else ""
    return [
        Problem("allocation", "", f"{len(missing):,} attendees of the event are not in it: {shown}{rest}")
    ]


def ensure_belongs(event: Event, allocation: Allocation) -> None:
    """Raise :class:`~seatalloc.errors.InputError` unless ``allocation`` belongs to ``event``."""
    problems = mismatches(event, allocation)
    if problems:
        raise InputError(problems, "allocation, which does not belong to this event")
