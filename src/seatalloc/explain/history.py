"""Priority across editions: how returning attendees fared at earlier editions of an event.

An attendee of the new event is *returning* when an attendee of an earlier edition has the same
key: the same e-mail address (trimmed, case ignored) or the same id. Per earlier edition they
score 2 without a seat (waitlisted, or unseated in every pass), 1 seated without a first choice,
0 with a first choice in some pass; the score is the sum over editions (:data:`POINTS`). The new
event takes it as :class:`~seatalloc.schema.records.History` on each returning attendee, then as
``priority`` classes or through ``objective.history_weight``. The key is only compared: the
history written holds the new event's ids, the score and the editions' names, never the key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from seatalloc.check.belongs import ensure_belongs
from seatalloc.explain.places import Places
from seatalloc.schema.allocation import Allocation
from seatalloc.schema.event import Event
from seatalloc.schema.records import Attendee, History

Key = Literal["email", "id"]
Outcome = Literal["no seat", "no first choice", "a first choice"]
#: Points per earlier edition, by outcome.
POINTS: dict[Outcome, int] = {"no seat": 2, "no first choice": 1, "a first choice": 0}


def _key(person: Attendee, key: Key) -> str | None:
    if key == "id":
        return person.id
    return person.email.strip().casefold() if person.email and person.email.strip() else None


def outcomes(event: Event, allocation: Allocation) -> dict[str, Outcome]:
    """Return each attendee's outcome at one edition, by attendee id.

    Raises
    ------
    InputError
        The allocation does not belong to the event.
    """
    ensure_belongs(event, allocation)
    if allocation.status not in ("optimal", "feasible"):
        return {}
    places = Places.of(event, allocation)
    seated: list[bool] = np.asarray((places.seminar >= 0).any(axis=1)).tolist()
    first: list[bool] = places.first_any().tolist()
    return {
        a.id: "no seat" if not s else "a first choice" if f else "no first choice"
        for a, s, f in zip(event.attendees, seated, first, strict=True)
    }


def histories(
    event: Event, editions: Sequence[tuple[Event, Allocation]], key: Key = "email"
) -> dict[str, History]:
    """Return the history of every returning attendee of ``event``, by attendee id.

    Parameters
    ----------
    event
        The new edition.
    editions
        Earlier editions, each an event with its allocation, oldest first.
    key
        What makes an attendee the same person: ``email`` or ``id``.
    """
    fared: dict[str, list[tuple[str, Outcome]]] = {}
    for number, (earlier, allocation) in enumerate(editions, start=1):
        seen = outcomes(earlier, allocation)
        here: dict[str, Outcome] = {}  # the worst outcome of each key (one person registered twice)
        for person in earlier.attendees:
            mine = _key(person, key)
            if mine is None or person.id not in seen:
                continue
            if mine not in here or POINTS[seen[person.id]] > POINTS[here[mine]]:
                here[mine] = seen[person.id]
        for mine, outcome in here.items():
            fared.setdefault(mine, []).append((earlier.name or f"edition {number}", outcome))
    out = {}
    for person in event.attendees:
        mine = _key(person, key)
        if mine is None or mine not in fared:
            continue
        score = min(1000, sum(POINTS[o] for _, o in fared[mine]))
        note = "; ".join(f"{o} at {n}" for n, o in fared[mine])
        out[person.id] = History(score=score, note=note[:500])
    return out


def with_history(
    event: Event, found: dict[str, History], *, priority: bool = False, weight: int | None = None
) -> Event:
    """Return ``event`` with each returning attendee's history, and with ``priority`` their score
    added to their priority class; ``weight`` sets ``objective.history_weight``."""
    people = tuple(
        a.model_copy(
            update={
                "history": found[a.id],
                "priority": a.priority + found[a.id].score if priority else a.priority,
            }
        )
        if a.id in found
        else a
        for a in event.attendees
    )
    update: dict[str, object] = {"attendees": people}
    if weight is not None:
        update["objective"] = event.objective.model_copy(update={"history_weight": weight})
    return event.model_copy(update=update)
