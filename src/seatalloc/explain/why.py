"""Why an attendee did not get a better choice, pass by pass.

For every seminar the attendee ranked above what they got, one reason, as
data and as a sentence: they excluded it or have it in another pass; it does
not run in that pass; no room of it has what they need; it was full with
attendees who ranked it at least as high (how many); their organisation's
quota for it was reached; or the better seat would have cost others more
(the total, found by solving again with the attendee pinned there; all those
solves share the time and work limits of the explanation's options).
An attendee who was not admitted gets their waitlist place and its reason.
Explanations never name other attendees or reveal their attributes.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from pydantic import Field

from seatalloc.arrays import numbered
from seatalloc.check.belongs import ensure_belongs
from seatalloc.check.plan import run_starts
from seatalloc.errors import InputError, Problem
from seatalloc.explain.places import UNRANKED, IntArray, Places
from seatalloc.schema.allocation import Allocation, Assignment, Unseated, WaitlistEntry
from seatalloc.schema.base import Record
from seatalloc.schema.event import Event
from seatalloc.schema.records import Attendee, Room, Seminar
from seatalloc.solve.options import SolveOptions

WhyCode = Literal[
    "excluded",
    "other-pass",
    "clash",
    "not-offered",
    "not-attending",
    "needs",
    "venue",
    "full",
    "quota",
    "mix",
    "max-seats",
    "cost",
    "tie",
    "rules",
]


class Alternative(Record):
    """A seminar the attendee ranked higher, and why they did not get it."""

    seminar: str
    code: WhyCode
    reason: str
    extra_cost: int | None = Field(
        None, description="For 'cost': how much more the best allocation with this seat costs in total."
    )


class PassExplanation(Record):
    """What the attendee got in one pass and why nothing better."""

    pass_: str = Field(alias="pass")
    seminar: str | None = Field(description="The seminar they got; None when unseated.")
    rank: int | None = Field(description="1 for a first choice, ...; None when unranked or unseated.")
    better: tuple[Alternative, ...]
    pinned: str | None = Field(
        None, description="When the seat is pinned: 'pinned', or 'pinned: ' and the reason the event gives."
    )
    attending: bool = Field(
        True, description="False when the attendee does not attend the pass ('available'): no seat is due."
    )


class AttendeeExplanation(Record):
    """Every pass of one attendee."""

    attendee: str
    passes: tuple[PassExplanation, ...]
    admission: str | None = Field(
        None, description="For an attendee not admitted: their place on the waitlist and why."
    )
    note: str | None = Field(
        None, description="For an allocation without seats (infeasible, or none found): why nobody has one."
    )
    history: str | None = Field(
        None,
        description="How they fared at earlier editions, and what it weighs here (see seatalloc history).",
    )

    def to_text(self) -> str:
        """Return the explanation in sentences."""
        lines = [f"attendee {self.attendee}:"]
        if self.history:
            lines.append(f"  {self.history}")
        if self.admission:
            lines.append(f"  {self.admission}")
        if self.note:
            lines.append(f"  {self.note}")
        for p in self.passes:
            got = (
                "not attending"
                if not p.attending
                else "no seat"
                if p.seminar is None
                else f"seminar {p.seminar}" + (f" (choice {p.rank})" if p.rank else " (not ranked)")
            )
            lines.append(f"  pass {p.pass_}: {got}" + (f", {p.pinned}" if p.pinned else ""))
            lines.extend(f"    {a.seminar}: {a.reason}" for a in p.better)
        return "\n".join(lines)


@dataclass(frozen=True)
class _Index:
    """Look-ups built once per event and allocation, shared by every explanation."""

    event: Event
    seminars: dict[str, Seminar]
    rooms: dict[str, Room]
    sessions: dict[tuple[str, str], list[str]]  # (pass, seminar) -> rooms
    places: Places
    # (pass, seminar, room) -> people seated there by the rank they gave the seminar (-1: unranked),
    # and by organisation: counted once, so explaining everyone stays linear in the seats given
    by_rank: dict[tuple[str, str, str], Counter[int]]
    by_org: dict[tuple[str, str, str], Counter[str | None]]
    waiting: dict[str, WaitlistEntry]
    unseated: dict[tuple[str, str], Unseated]  # (attendee, pass) -> why no seat
    runs: dict[str, list[tuple[list[str], str]]]  # seminar in parts -> each run's passes and room
    by_group: dict[str, dict[tuple[str, str, str], Counter[str]]] = field(default_factory=dict)

    def group_counts(self, dimension: str) -> dict[tuple[str, str, str], Counter[str]]:
        """People seated per (pass, seminar, room) by their group in ``dimension`` ('organisation' or
        an attribute; those without one are not counted), tallied once per dimension."""
        if dimension not in self.by_group:
            values: dict[str, int] = {}
            code = np.fromiter(
                (
                    -1 if (g := a.group(dimension)) is None else values.setdefault(g, len(values))
                    for a in self.event.attendees
                ),
                dtype=np.int64,
            )
            size = np.fromiter((a.size for a in self.event.attendees), dtype=np.int64)
            places = self.places
            who, when = np.nonzero((places.seminar >= 0) & (code[:, None] >= 0))
            where = (when, places.seminar[who, when], places.room[who, when], size[who])
            names = list(values)
            self.by_group[dimension] = {
                key: Counter({names[k]: n for k, n in c.items()})
                for key, c in _tally(self.event, *where, code[who]).items()
            }
        return self.by_group[dimension]

    @classmethod
    def build(cls, event: Event, allocation: Allocation, places: Places | None = None) -> _Index:
        """The look-ups; ``places`` when the caller has them already (:meth:`Places.of`)."""
        sessions: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
        plan = allocation.sessions_run(event)
        for seminar, pass_id, room in plan:
            sessions[(pass_id, seminar)].append(room)
        order = [p.id for p in event.passes]
        parts = {m.id: m.parts for m in event.seminars if m.parts > 1}
        starts = run_starts(event, plan)[0] if parts else {}
        runs = {
            j: [
                (order[order.index(first) : order.index(first) + parts[j]], room) for first, room in starts[j]
            ]
            for j in parts
            if j in starts
        }
        places = places or Places.of(event, allocation)
        by_rank, by_org = _counts(event, places)
        return cls(
            event,
            {m.id: m for m in event.seminars},
            {r.id: r for r in event.rooms},
            sessions,
            places,
            by_rank,
            by_org,
            {w.attendee: w for w in allocation.waitlist},
            {(u.attendee, u.pass_): u for u in allocation.unseated_places()},
            runs,
        )

    def attendee(self, attendee: str) -> Attendee | None:
        """The attendee of that id, or None."""
        i = self.places.row.get(attendee)
        return None if i is None else self.event.attendees[i]

    def seats(self, attendee: str) -> dict[str, Assignment]:
        """The attendee's seats by pass."""
        i, e = self.places.row[attendee], self.event
        seminars, rooms = self.places.seminar[i].tolist(), self.places.room[i].tolist()
        return {
            e.passes[p].id: Assignment(attendee, e.passes[p].id, e.seminars[j].id, e.rooms[r].id)
            for p, (j, r) in enumerate(zip(seminars, rooms, strict=True))
            if j >= 0
        }


def _counts(
    event: Event, places: Places
) -> tuple[dict[tuple[str, str, str], Counter[int]], dict[tuple[str, str, str], Counter[str | None]]]:
    """People seated per (pass, seminar, room), by the rank they gave it (-1: unranked) and by
    organisation."""
    orgs: dict[str | None, int] = {}
    org = np.fromiter((orgs.setdefault(a.organisation, len(orgs)) for a in event.attendees), dtype=np.int64)
    size = np.fromiter((a.size for a in event.attendees), dtype=np.int64)
    who, when = np.nonzero(places.seminar >= 0)
    seated = (when, places.seminar[who, when], places.room[who, when], size[who])
    ranks = _tally(event, *seated, places.rank[who, when] + 1)  # (shifted: -1 for unranked is 0)
    by_org = _tally(event, *seated, org[who])
    names = list(orgs)
    return (
        {where: Counter({k - 1: n for k, n in c.items()}) for where, c in ranks.items()},
        {where: Counter({names[k]: n for k, n in c.items()}) for where, c in by_org.items()},
    )


def _tally(
    event: Event, pass_: IntArray, seminar: IntArray, room: IntArray, people: IntArray, value: IntArray
) -> dict[tuple[str, str, str], Counter[int]]:
    """``people`` added up per (pass, seminar, room) id and non-negative ``value``."""
    n_seminars, n_rooms, span = len(event.seminars), len(event.rooms), int(value.max(initial=0)) + 1
    keys, number = numbered(((pass_ * n_seminars + seminar) * n_rooms + room) * span + value)
    totals = np.bincount(number, weights=people).astype(np.int64)
    out: defaultdict[tuple[str, str, str], Counter[int]] = defaultdict(Counter)
    for key, n in zip(keys.tolist(), totals.tolist(), strict=True):
        rest, k = divmod(key, span)
        rest, r = divmod(rest, n_rooms)
        p, j = divmod(rest, n_seminars)
        out[(event.passes[p].id, event.seminars[j].id, event.rooms[r].id)][k] += n
    return out


def explain(
    event: Event,
    allocation: Allocation,
    attendee: str,
    *,
    price: bool = True,
    options: SolveOptions | None = None,
) -> AttendeeExplanation:
    """Explain why ``attendee`` did not get a better choice in each pass.

    Parameters
    ----------
    event
        The event.
    allocation
        An allocation of it, typically ``solve(event)``.
    attendee
        The attendee id.
    price
        For a better seat that was neither full nor blocked by a rule, solve
        again with the attendee pinned there to report what it would cost
        others. Needs an optimal ``allocation``.
    options
        How to solve again (:class:`~seatalloc.solve.SolveOptions`); its time
        and work limits bound the whole explanation (default 30 s).

    Returns
    -------
    AttendeeExplanation

    Raises
    ------
    InputError
        The attendee is not in the event.
    """
    return next(explain_many(event, allocation, [attendee], price=price, options=options))


def explain_many(
    event: Event,
    allocation: Allocation,
    attendees: Iterable[str],
    *,
    price: bool = False,
    options: SolveOptions | None = None,
) -> Iterator[AttendeeExplanation]:
    """Explain several attendees, building the look-ups once (see :func:`explain`)."""
    ensure_belongs(event, allocation)
    index = _Index.build(event, allocation)
    what_if = _WhatIf(event, allocation, options or SolveOptions()) if price else None
    for attendee in attendees:
        person = index.attendee(attendee)
        if person is None:
            raise InputError([Problem("attendee", "", f"unknown attendee {attendee!r}")], "request")
        yield _explain_one(event, allocation, index, person, what_if)


def unranked_reasons(
    event: Event, allocation: Allocation, places: Places | None = None
) -> list[WhyCode | Literal["no-choices", "pinned"]]:
    """Return, for every attendee-pass seated in a seminar the attendee did not rank, why their
    ranked seminars were not given: ``pinned`` when the event pins them there; else the most
    common reason among them, leaving out those they have in another pass (``other-pass`` when
    that is all; ``no-choices`` when they ranked none). Never prices a seat. The allocation must
    belong to the event (:func:`~seatalloc.check.belongs.ensure_belongs`); ``places`` when the
    caller has them."""
    index = _Index.build(event, allocation, places)
    out: list[WhyCode | Literal["no-choices", "pinned"]] = []
    rows, passes = np.nonzero(index.places.rank == UNRANKED)
    for i, p in zip(rows.tolist(), passes.tolist(), strict=True):
        person = event.attendees[i]
        x = index.seats(person.id)[event.passes[p].id]
        if x.pass_ in person.fixed:
            out.append("pinned")
        elif not person.choices:
            out.append("no-choices")
        else:
            codes = Counter(
                _why(event, allocation, index, person, x.pass_, seminar, None).code
                for seminar in person.choices
            )
            codes.pop("other-pass", None)
            out.append(codes.most_common(1)[0][0] if codes else "other-pass")
    return out


class _WhatIf:
    """Solve again with an attendee pinned to a seat, every such solve within one budget."""

    def __init__(self, event: Event, allocation: Allocation, options: SolveOptions):
        self.event, self.allocation, self.options = event, allocation, options
        self.budget = options.budget()

    def __call__(self, person: Attendee, pass_id: str, seminar: str) -> Allocation | None:
        """Return the best allocation with ``person`` in ``seminar`` in ``pass_id``; None: no budget left."""
        if self.budget.stop() is not None:
            return None
        pinned = person.model_copy(update={"fixed": {**person.fixed, pass_id: seminar}})
        attendees = tuple(pinned if a.id == person.id else a for a in self.event.attendees)
        seconds, work = self.budget.seconds_left(), self.budget.work_left()
        options = replace(self.options, progress=None).with_(
            time_limit=None if math.isinf(seconds) else seconds,
            work_limit=None if math.isinf(work) else work,
            objective=self.allocation.solver.objective if self.allocation.solver else None,
            as_of=self.allocation.as_of,
        )
        from seatalloc.solve.solver import solve  # loads the solvers only when a seat is priced

        result = solve(self.event.model_copy(update={"attendees": attendees}), options)
        self.budget.spend(result.solver.work if result.solver else 0.0)
        return result


def _explain_one(
    event: Event, allocation: Allocation, index: _Index, person: Attendee, what_if: _WhatIf | None
) -> AttendeeExplanation:
    explanation = _explain_passes(event, allocation, index, person, what_if)
    return explanation.model_copy(update={"history": _history(event, person)})


def _history(event: Event, person: Attendee) -> str | None:
    """What the attendee's history says, and how it counts: a priority class, a weight, or not."""
    if person.history is None:
        return None
    why = f"earlier editions: {person.history.note or 'returning'} (history score {person.history.score})"
    weight = event.objective.weight(person)
    return why + (f"; your outcomes here count {weight} times" if weight > 1 else "")


def _explain_passes(
    event: Event, allocation: Allocation, index: _Index, person: Attendee, what_if: _WhatIf | None
) -> AttendeeExplanation:
    seat = index.seats(person.id)
    wait = index.waiting.get(person.id)
    if allocation.status not in ("optimal", "feasible"):  # nobody has a seat: say why, once
        why = "; ".join(allocation.conflicts) or (allocation.solver.note if allocation.solver else None)
        return AttendeeExplanation(
            attendee=person.id,
            passes=tuple(
                PassExplanation(pass_=p.id, seminar=None, rank=None, better=()) for p in event.passes
            ),
            note=f"there is no allocation ({allocation.status})" + (f": {why}" if why else ""),
        )
    if wait is not None:  # not admitted: no seat anywhere, and the reason is admission
        place = f"waitlist position {wait.position}" if wait.position else "not on the waitlist"
        return AttendeeExplanation(
            attendee=person.id,
            passes=tuple(
                PassExplanation(pass_=p.id, seminar=None, rank=None, better=()) for p in event.passes
            ),
            admission=f"not admitted ({place}): {wait.reason}",
        )
    passes = []
    for p in event.passes:
        own = seat.get(p.id)
        rank = person.choices.index(own.seminar) if own and own.seminar in person.choices else None
        upto = len(person.choices) if rank is None else rank
        pinned = person.pin_note(p.id)  # the pin is why: nothing else could be given
        attending = person.attends(p.id)  # else nothing is due
        better = tuple(
            _why(event, allocation, index, person, p.id, seminar, what_if)
            for seminar in person.choices[:upto]
            if pinned is None and attending
        )
        passes.append(
            PassExplanation(
                pass_=p.id,
                seminar=own.seminar if own else None,
                rank=None if rank is None else rank + 1,
                better=better,
                pinned=pinned,
                attending=attending,
            )
        )
    return AttendeeExplanation(attendee=person.id, passes=tuple(passes))


def _why(
    event: Event,
    allocation: Allocation,
    index: _Index,
    person: Attendee,
    pass_id: str,
    seminar: str,
    what_if: _WhatIf | None,
) -> Alternative:
    def said(code: WhyCode, reason: str, extra: int | None = None) -> Alternative:
        return Alternative(seminar=seminar, code=code, reason=reason, extra_cost=extra)

    if seminar in person.excluded:
        return said("excluded", "you asked not to get this seminar")
    rooms = index.rooms
    sessions = index.sessions.get((pass_id, seminar), [])
    if not sessions:
        return said("not-offered", f"it does not run in pass {pass_id}")
    away = _away_in_run(index, person, seminar, pass_id, sessions)
    if away is not None:
        return said("not-attending", f"it runs in parts, also in pass {away}, which you do not attend")
    open_rooms = [r for r in sessions if set(person.needs) <= set(rooms[r].features)]
    if not open_rooms:
        return said("needs", f"no room it uses in pass {pass_id} has everything you need")
    seat = index.seats(person.id)
    elsewhere = [p for p, x in seat.items() if x.seminar == seminar and p != pass_id]
    if elsewhere:
        return said("other-pass", f"you have it in pass {elsewhere[0]}, and nobody gets a seminar twice")
    for group in event.clashes:
        taken = [x for p, x in seat.items() if p != pass_id and seminar in group and x.seminar in group]
        if taken:
            return said(
                "clash",
                f"you have {taken[0].seminar} in pass {taken[0].pass_}, and it clashes with it: "
                f"one attendee takes at most one of {', '.join(group)}",
            )
    unseated = index.unseated.get((person.id, pass_id))
    if not seat and unseated is not None and unseated.code == "max-seats":
        return said("max-seats", f"you were left out: {unseated.reason}")
    venues = {rooms[x.room].venue for p, x in seat.items() if p != pass_id}
    if _stays(event, person) and len(venues) == 1 and all(rooms[r].venue not in venues for r in open_rooms):
        (venue,) = venues
        return said(
            "venue", f"it is in another venue than {venue}, where you sit, and you may not change venue"
        )
    my_rank = person.choices.index(seminar)
    fill: dict[str, int] = {}
    keen: dict[str, int] = {}  # occupants who ranked it at least as high
    mine: dict[str, int] = {}  # occupants from the attendee's organisation
    for r in open_rooms:  # (the attendee is not among them: they would have had it)
        ranked = index.by_rank.get((pass_id, seminar, r), Counter())
        fill[r] = sum(ranked.values())
        keen[r] = sum(n for rank, n in ranked.items() if 0 <= rank <= my_rank)
        orgs = index.by_org.get((pass_id, seminar, r), Counter())
        mine[r] = orgs[person.organisation] if person.organisation is not None else 0
    most = index.seminars[seminar].max_attendance
    room_for = {r: rooms[r].capacity if most is None else min(rooms[r].capacity, most) for r in open_rooms}
    if all(fill[r] + person.size > room_for[r] and keen[r] + person.size > room_for[r] for r in open_rooms):
        return said(
            "full", _full(person, [(keen[r], fill[r], room_for[r], rooms[r].capacity) for r in open_rooms])
        )
    caps = [
        q.max_per_session
        for q in event.quotas
        if q.organisation == person.organisation
        and q.max_per_session is not None
        and q.seminar in (None, seminar)
        and q.pass_ in (None, pass_id)
    ]
    if caps and all(mine[r] >= min(caps) for r in open_rooms):
        return said("quota", f"your organisation's quota of {min(caps)} for it was reached")
    mix = _mix_reached(index, person, pass_id, seminar, {r: fill[r] for r in open_rooms})
    if mix is not None:
        return said("mix", mix)
    if what_if is None or allocation.status != "optimal" or allocation.objective is None:
        return said("cost", "giving you this seat would have cost others more")
    priced = what_if(person, pass_id, seminar)
    if priced is not None and priced.status == "infeasible":
        return said("rules", "no allocation within the event's rules gives you this seat")
    if priced is None or priced.status != "optimal" or priced.objective is None:
        # Not settled in time: the what-if's bound still says how much more it costs at least.
        rank_cost = allocation.solver is None or allocation.solver.objective == "rank-cost"
        found = None if priced is None else priced.bound
        least = found - allocation.objective if found is not None and rank_cost else None
        if least is None or least <= 0:
            return said("cost", "whether giving you this seat costs others more was not settled in time")
        return said("cost", f"giving you this seat would have cost others at least {least} more", least)
    extra = priced.objective - allocation.objective
    if extra < 0:  # a lexicographic objective: worse in an earlier stage, cheaper in cost
        return said("cost", "giving you this seat would have made the allocation worse under its objective")
    if extra == 0:
        return said(
            "tie",
            "an allocation just as good gives you this seat: among equally good allocations, the tie-break "
            "gave it to others",
            0,
        )
    return said("cost", f"giving you this seat would have cost others {extra} more in total", extra)


def _full(person: Attendee, rooms: list[tuple[int, int, int, int]]) -> str:
    """Why the seminar was full for ``person``, from each open room's people who ranked it at least as
    high, people seated, places (the room's seats, or fewer under ``max_attendance``) and seats."""
    keen, seated, places, seats = (sum(column) for column in zip(*rooms, strict=True))
    what = f"{places} seats" if places == seats else f"{places} places (its max_attendance, in {seats} seats)"
    if keen >= places:
        return f"it was full: all {what} went to attendees who ranked it at least as high"
    return (
        f"it was full for a party of {person.size}: {keen} of its {what} went to attendees "
        f"who ranked it at least as high, and {places - seated} were left"
    )


def _mix_reached(
    index: _Index, person: Attendee, pass_id: str, seminar: str, fill: dict[str, int]
) -> str | None:
    """The diversity rule that one more attendee of ``person``'s group would break in every room of
    ``seminar`` in ``pass_id`` open to them (``fill``: people seated in each), in words; or None."""
    for rule in index.event.diversity:
        group = person.group(rule.attribute)
        if group is None:
            continue
        counts = index.group_counts(rule.attribute)
        share, most = rule.max_share, rule.max_seats
        blocked = []
        for room, seated in fill.items():
            total, mine = (
                seated + person.size,
                counts.get((pass_id, seminar, room), Counter())[group] + person.size,
            )
            if total < rule.min_session_size:
                blocked.append(False)
                continue
            over_share = share is not None and mine * 100 > share * total
            blocked.append(over_share or (most is not None and mine > most))
        if blocked and all(blocked):
            limit = f"{share:g}%" if share is not None else f"{most}"
            return (
                f"its mix rule was reached: at most {limit} of a session from one {rule.attribute}, "
                f"and one more from yours would have been more"
            )
    return None


def _away_in_run(index: _Index, person: Attendee, seminar: str, pass_id: str, rooms: list[str]) -> str | None:
    """A pass ``person`` does not attend in every run of ``seminar`` (in parts) through ``pass_id``,
    or None when some run through it is all in passes they attend."""
    if person.available is None:
        return None
    missed = None
    for run, room in index.runs.get(seminar, []):
        if room in rooms and pass_id in run:
            absent = [p for p in run if not person.attends(p)]
            if not absent:
                return None
            missed = missed or absent[0]
    return missed


def _stays(event: Event, person: Attendee) -> bool:
    """Whether ``person`` may not change venue between passes (the rule, or one of their needs)."""
    rule = event.venue_moves
    return rule is not None and (
        rule.rule == "forbidden" or bool(set(person.needs) & set(rule.forbidden_for))
    )
