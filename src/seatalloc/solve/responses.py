"""A response round: offers confirmed, declined or lapsed, and the seats given again.

An allocation is published as offers. Attendees answer (:class:`~seatalloc.schema.responses.
Responses`), the last answer of each counting:

- *confirmed*: accepted by the event's ``respond_by`` (or with no date): their seats never move
  (a rule of the re-solve);
- *declined*: they leave; their seats go to the next in line;
- *lapsed*: no acceptance by ``respond_by``, once the round is solved as of a later day (the
  ``as_of`` option, else the day of the latest answer): they leave as well;
- the others keep their offers where the rules allow, as in any re-solve.

The round is a re-solve (:func:`~seatalloc.solve.resolve.resolve`) of the event without the
attendees who left: with admission, their seats go to the waitlist in its order, within reserves
and quotas. Nobody is lost: those who left are in the allocation's ``unseated`` in every pass and
on its ``waitlist`` (codes ``declined`` and ``lapsed``, no place in the queue), so the allocation
is one of the whole event, and ``offers`` lists the attendees to send a new offer.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from seatalloc.errors import InputError, Problem
from seatalloc.schema.allocation import Allocation, WaitlistEntry, compact
from seatalloc.schema.event import Event
from seatalloc.schema.records import Attendee
from seatalloc.schema.responses import Responses
from seatalloc.solve.options import SolveOptions, make_options
from seatalloc.solve.resolve import resolve

#: Why an attendee left in a round: a code of the unseated places and of the waitlist alike.
Leaving = Literal["declined", "lapsed"]


def respond(
    event: Event,
    published: Allocation,
    responses: Responses,
    options: SolveOptions | None = None,
    *,
    move_cost: int | None = None,
    max_moves: int | None = None,
    **settings: Any,
) -> Allocation:
    """Run a response round on ``published`` (see the module documentation).

    Parameters
    ----------
    event
        The event (with its ``respond_by``, if offers lapse).
    published
        The allocation whose seats were offered.
    responses
        The answers.
    options, move_cost, max_moves, **settings
        As for :func:`~seatalloc.solve.resolve.resolve`; ``as_of`` is also the day the round is
        solved as of, for offers to lapse.

    Returns
    -------
    Allocation
        The re-solved allocation of the whole event, with ``offers``.

    Raises
    ------
    InputError
        An answer names an attendee not in the event, or accepts a seat that was not offered.
    """
    options = make_options(options, **settings)
    offered = {x.attendee for x in published.assignments}
    last = _last(event, offered, responses)
    left = _leaving(event, offered, last, responses, options.as_of)
    confirmed = {a for a, code in last.items() if code == "confirmed"}
    staying = event.model_copy(update={"attendees": tuple(a for a in event.attendees if a.id not in left)})
    kept = published.model_copy(  # (those who left are not cancellations: they are said below)
        update={"assignments": tuple(x for x in published.assignments if x.attendee not in left)}
    )
    now = resolve(staying, kept, options, move_cost=move_cost, max_moves=max_moves, stays=confirmed)
    return _with_leavers(event, now, left, offered)


def _last(event: Event, offered: set[str], responses: Responses) -> dict[str, str]:
    """Each answering attendee's last answer: ``confirmed``, ``late`` (accepted after
    respond_by) or ``declined``; every answer must name an attendee, and accept an offer."""
    people = {a.id for a in event.attendees}
    problems, last = [], {}
    for i, r in enumerate(responses.responses):
        where = f"responses[{i}]"
        if r.attendee not in people:
            problems.append(Problem(where, "attendee", f"no attendee {r.attendee!r} in the event"))
        elif r.response == "accepted" and r.attendee not in offered:
            problems.append(Problem(where, "response", f"attendee {r.attendee!r} has no offer to accept"))
        elif r.response == "declined":
            last[r.attendee] = "declined"
        else:
            late = event.respond_by is not None and r.when is not None and r.when.date() > event.respond_by
            last[r.attendee] = "late" if late else "confirmed"
    if problems:
        raise InputError(problems, "responses")
    return last


def _leaving(
    event: Event, offered: set[str], last: dict[str, str], responses: Responses, as_of: date | None
) -> dict[str, tuple[Leaving, str]]:
    """Who leaves in this round, with the code and reason: declined, or an offer lapsed (``last``:
    each answering attendee's last answer, see :func:`_last`)."""
    day = as_of or max((r.when.date() for r in responses.responses if r.when is not None), default=None)
    due = event.respond_by
    lapsing = due is not None and day is not None and day > due
    out: dict[str, tuple[Leaving, str]] = {}
    for a in event.attendees:
        answer = last.get(a.id)
        if answer == "declined":
            out[a.id] = ("declined", "declined the offered seat" if a.id in offered else "withdrew")
        elif lapsing and a.id in offered and answer != "confirmed":
            out[a.id] = ("lapsed", f"the offer was not confirmed by {due} (respond_by)")
    return out


def _with_leavers(
    event: Event, now: Allocation, left: dict[str, tuple[Leaving, str]], offered: set[str]
) -> Allocation:
    """Return ``now`` (an allocation of the event without those who left) as one of the whole
    event: those who left unseated in every pass and on the waitlist, their places' cost counted,
    and the new offers listed."""
    passes = [p.id for p in event.passes]
    order = {a.id: i for i, a in enumerate(event.attendees)}
    when = {p: i for i, p in enumerate(passes)}
    gone = [a for a in event.attendees if a.id in left]
    places = sorted(
        (
            *((u.attendee, u.pass_, u.code, u.reason) for u in now.unseated_places()),
            *((a.id, p, *left[a.id]) for a in gone for p in passes),
        ),
        key=lambda u: (order[u[0]], when[u[1]]),
    )
    unseated, groups = compact(places)
    waitlist = (*now.waitlist, *(WaitlistEntry(a.id, None, *left[a.id]) for a in gone))
    counts = dict(now.stats.choice_counts)
    counts["unseated"] = counts.get("unseated", 0) + len(gone) * len(passes)
    cost = event.objective.unseated_cost * sum(event.objective.weight(a) * _wanted(a, passes) for a in gone)
    objective = None if now.objective is None else now.objective + cost
    bound = None if now.bound is None else now.bound + cost
    seated = {x.attendee for x in now.assignments}
    stages = tuple(  # the total cost's stage counts their places too, as the objective does
        s.model_copy(update={"value": s.value + cost, "bound": s.bound + cost})
        if s.name == "rank cost"
        else s
        for s in now.stages
    )
    return now.model_copy(
        update={
            "objective": objective,
            "bound": bound,
            "stages": stages,
            "gap": None
            if objective is None or bound is None
            else max(0.0, (objective - bound) / max(1, objective)),
            "unseated": unseated,
            "unseated_groups": groups,
            "waitlist": waitlist,
            "stats": now.stats.model_copy(
                update={"attendees": len(event.attendees), "choice_counts": counts}
            ),
            "offers": tuple(a.id for a in event.attendees if a.id in seated and a.id not in offered),
        }
    )


def _wanted(person: Attendee, passes: list[str]) -> int:
    """The passes whose empty place costs ``unseated_cost`` for ``person``."""
    attended = sum(map(person.attends, passes))
    return attended if person.max_sessions is None else min(person.max_sessions, attended)
