"""Cross-record checks of an event: ids, references and pins.

Field types and ranges are checked by pydantic; this module checks what no
single record can: that ids are unique and every reference resolves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain, repeat
from operator import attrgetter, is_not
from typing import Protocol

from seatalloc.errors import Problem
from seatalloc.schema.records import (
    Attendee,
    Organisation,
    Party,
    Pass,
    Quota,
    Reserve,
    Room,
    Seminar,
    Session,
    SharedLimit,
)


class Records(Protocol):
    """The records of an event that refer to each other (an :class:`~seatalloc.schema.event.Event`)."""

    @property
    def passes(self) -> tuple[Pass, ...]: ...

    @property
    def rooms(self) -> tuple[Room, ...]: ...

    @property
    def seminars(self) -> tuple[Seminar, ...]: ...

    @property
    def sessions(self) -> tuple[Session, ...]: ...

    @property
    def organisations(self) -> tuple[Organisation, ...]: ...

    @property
    def quotas(self) -> tuple[Quota, ...]: ...

    @property
    def attendees(self) -> tuple[Attendee, ...]: ...

    @property
    def parties(self) -> tuple[Party, ...]: ...

    @property
    def shared_limits(self) -> tuple[SharedLimit, ...]: ...

    @property
    def different_pass(self) -> tuple[tuple[str, ...], ...]: ...

    @property
    def same_pass(self) -> tuple[tuple[str, ...], ...]: ...

    @property
    def clashes(self) -> tuple[tuple[str, ...], ...]: ...

    @property
    def venue_moves(self) -> object | None: ...

    @property
    def seat_limit(self) -> int | None: ...

    @property
    def reserves(self) -> tuple[Reserve, ...]: ...


def _name(kind: str, index: int, ident: str | None = None) -> str:
    return f"{kind}[{index}] {ident!r}" if ident is not None else f"{kind}[{index}]"


def _duplicates(kind: str, ids: Iterable[str]) -> list[Problem]:
    ids = list(ids)
    if len(set(ids)) == len(ids):
        return []  # (the usual case, in a tenth of the time of counting)
    counts = Counter(ids)
    seen: set[str] = set()
    problems = []
    for index, ident in enumerate(ids):
        if counts[ident] > 1 and ident in seen:
            problems.append(Problem(_name(kind, index, ident), "id", f"duplicate id {ident!r}"))
        seen.add(ident)
    return problems


def find_problems(event: Records) -> list[Problem]:
    """Return every reference problem in ``event``, in input order.

    Parameters
    ----------
    event
        An event whose fields have passed type validation.

    Returns
    -------
    list of Problem
        Empty when the event is consistent.
    """
    problems: list[Problem] = []
    for kind, records in (
        ("passes", event.passes),
        ("rooms", event.rooms),
        ("seminars", event.seminars),
        ("organisations", event.organisations),
        ("attendees", event.attendees),
    ):
        problems += _duplicates(kind, map(attrgetter("id"), records))

    passes = {p.id for p in event.passes}
    rooms = {r.id for r in event.rooms}
    seminars = {s.id for s in event.seminars}
    organisations = {o.id for o in event.organisations}
    offered: dict[str, set[str]] = {p: set() for p in passes}  # pass -> seminars with a session
    order = [p.id for p in event.passes]
    parts = {s.id: s.parts for s in event.seminars}
    for i, seminar in enumerate(event.seminars):
        if seminar.parts > len(order):
            problems.append(
                Problem(
                    _name("seminars", i, seminar.id),
                    "parts",
                    f"{seminar.parts} parts, more than the {len(order)} passes",
                )
            )

    room_in_pass: dict[tuple[str, str], int] = {}
    listed: Counter[str] = Counter()
    for i, session in enumerate(event.sessions):
        where = _name("sessions", i)
        listed[session.seminar] += 1
        for field, value, known in (
            ("seminar", session.seminar, seminars),
            ("pass", session.pass_, passes),
            ("room", session.room, rooms),
        ):
            if value is not None and value not in known:
                problems.append(Problem(where, field, f"unknown {field} {value!r}"))
        k = parts.get(session.seminar, 1)
        if session.pass_ is None:  # the optimiser may put it in any pass
            runs_in = order
        elif session.pass_ in offered:
            start = order.index(session.pass_)
            runs_in = order[start : start + k]
            if len(runs_in) < k:
                problems.append(
                    Problem(
                        where,
                        "pass",
                        f"seminar {session.seminar!r} has {k} parts: from pass {session.pass_!r} "
                        "they run past the last pass",
                    )
                )
        else:
            runs_in = []
        for pass_id in runs_in:
            offered[pass_id].add(session.seminar)
        if session.pass_ is None or session.room is None:
            continue
        for pass_id in runs_in:
            key = (session.room, pass_id)
            if key in room_in_pass:
                problems.append(
                    Problem(
                        where,
                        "room",
                        f"room {session.room!r} already hosts sessions[{room_in_pass[key]}] "
                        f"in pass {pass_id!r}",
                    )
                )
            else:
                room_in_pass[key] = i
    for i, seminar in enumerate(event.seminars):
        if seminar.runs is None:
            continue
        if seminar.runs < listed[seminar.id]:
            problems.append(
                Problem(
                    _name("seminars", i, seminar.id),
                    "runs",
                    f"{listed[seminar.id]} sessions are listed for it, more than its {seminar.runs} runs",
                )
            )
        elif seminar.runs > listed[seminar.id]:
            for seminars_in_pass in offered.values():
                seminars_in_pass.add(seminar.id)
    for i, limit in enumerate(event.shared_limits):
        for seminar_id in limit.seminars:
            if seminar_id not in seminars:
                problems.append(
                    Problem(_name("shared_limits", i), "seminars", f"unknown seminar {seminar_id!r}")
                )
    problems += _duplicates("parties", (party.id for party in event.parties))
    for i, party in enumerate(event.parties):
        for pass_id in party.passes:
            if pass_id not in passes:
                problems.append(Problem(_name("parties", i, party.id), "passes", f"unknown pass {pass_id!r}"))
    for i, group in enumerate(event.different_pass):
        for seminar_id in group:
            if seminar_id not in seminars:
                problems.append(Problem(_name("different_pass", i), "", f"unknown seminar {seminar_id!r}"))
    for i, group in enumerate(event.same_pass):
        for seminar_id in group:
            if seminar_id not in seminars:
                problems.append(Problem(_name("same_pass", i), "", f"unknown seminar {seminar_id!r}"))
    for i, group in enumerate(event.clashes):
        for seminar_id in group:
            if seminar_id not in seminars:
                problems.append(Problem(_name("clashes", i), "", f"unknown seminar {seminar_id!r}"))
        if len(set(group)) != len(group) or len(group) < 2:
            problems.append(Problem(_name("clashes", i), "", "a clash needs two or more distinct seminars"))
    if event.clashes and (event.venue_moves is not None or any(m.parts > 1 for m in event.seminars)):
        problems.append(
            Problem(
                "event", "clashes", "clashes cannot yet be combined with venue_moves or seminars in parts"
            )
        )

    for i, quota in enumerate(event.quotas):
        where = _name("quotas", i)
        if quota.organisation not in organisations:
            problems.append(Problem(where, "organisation", f"unknown organisation {quota.organisation!r}"))
        if quota.seminar is not None and quota.seminar not in seminars:
            problems.append(Problem(where, "seminar", f"unknown seminar {quota.seminar!r}"))
        if quota.pass_ is not None and quota.pass_ not in passes:
            problems.append(Problem(where, "pass", f"unknown pass {quota.pass_!r}"))

    held: dict[str, int] = {}
    for i, reserve in enumerate(event.reserves):
        where = _name("reserves", i)
        if reserve.organisation not in organisations:
            problems.append(Problem(where, "organisation", f"unknown organisation {reserve.organisation!r}"))
        elif reserve.organisation in held:
            problems.append(
                Problem(
                    where,
                    "organisation",
                    f"organisation {reserve.organisation!r} already has "
                    f"reserves[{held[reserve.organisation]}]",
                )
            )
        held.setdefault(reserve.organisation, i)
    total = sum(r.reserved for r in event.reserves)
    if event.seat_limit is not None and total > event.seat_limit:
        problems.append(
            Problem(
                "event", "reserves", f"{total} seats reserved, more than the seat_limit {event.seat_limit}"
            )
        )

    if _only_choices(event.attendees, seminars, organisations):
        return problems  # (most large events: every attendee checked at once, in a tenth of the time)
    for i, attendee in enumerate(event.attendees):
        if _only_choices((attendee,), seminars, organisations):
            continue
        problems += _attendee_problems(
            _name("attendees", i, attendee.id), attendee, seminars, organisations, offered, parts
        )
    return problems


def _only_choices(attendees: Sequence[Attendee], seminars: set[str], organisations: set[str]) -> bool:
    """Whether the attendees give nothing but known, distinct choices and a known organisation (or
    none): then :func:`_attendee_problems` finds none. Each test is one pass over the attendees in
    C (``map``), not a Python step per attendee."""
    for field in ("costs", "scores", "required", "excluded", "fixed"):
        if any(map(attrgetter(field), attendees)):
            return False
    if any(map(is_not, map(attrgetter("available"), attendees), repeat(None))):
        return False
    named = set(map(attrgetter("organisation"), attendees))
    named.discard(None)
    if not organisations.issuperset(named):
        return False
    choices = list(map(attrgetter("choices"), attendees))
    return seminars.issuperset(chain.from_iterable(choices)) and sum(map(len, choices)) == sum(
        map(len, map(set, choices))
    )


def _attendee_problems(
    where: str,
    attendee: Attendee,
    seminars: set[str],
    organisations: set[str],
    offered: dict[str, set[str]],
    parts: dict[str, int],
) -> list[Problem]:
    problems: list[Problem] = []
    if attendee.organisation is not None and attendee.organisation not in organisations:
        problems.append(Problem(where, "organisation", f"unknown organisation {attendee.organisation!r}"))
    seen: set[str] = set()
    if attendee.costs and attendee.scores:
        problems.append(Problem(where, "scores", "give 'costs' or 'scores', not both"))
    for field in ("costs", "scores"):
        for seminar in getattr(attendee, field) or ():
            if seminar not in seminars:
                problems.append(Problem(where, field, f"unknown seminar {seminar!r}"))
    for seminar in attendee.required:
        if seminar not in seminars:
            problems.append(Problem(where, "required", f"unknown seminar {seminar!r}"))
        elif seminar in attendee.excluded:
            problems.append(Problem(where, "required", f"seminar {seminar!r} is also excluded"))
    for field in ("choices", "excluded"):
        seen.clear()
        for seminar in getattr(attendee, field) or ():
            if seminar not in seminars:
                problems.append(Problem(where, field, f"unknown seminar {seminar!r}"))
            elif seminar in seen:
                problems.append(Problem(where, field, f"seminar {seminar!r} is listed twice"))
            seen.add(seminar)
    seen.clear()
    for pass_id in attendee.available or ():
        if pass_id not in offered:
            problems.append(Problem(where, "available", f"unknown pass {pass_id!r}"))
        elif pass_id in seen:
            problems.append(Problem(where, "available", f"pass {pass_id!r} is listed twice"))
        seen.add(pass_id)
    pinned: dict[str, str] = {}
    for pass_id, seminar in attendee.pins.items():
        if pass_id not in offered:
            problems.append(Problem(where, "fixed", f"unknown pass {pass_id!r}"))
        elif not attendee.attends(pass_id):
            problems.append(
                Problem(
                    where,
                    "fixed",
                    f"pinned to seminar {seminar!r} in pass {pass_id!r}, a pass they do not attend "
                    f"(available: {list(attendee.available or ())})",
                )
            )
        elif seminar not in seminars:
            problems.append(Problem(where, "fixed", f"unknown seminar {seminar!r}"))
        elif seminar not in offered[pass_id]:
            problems.append(
                Problem(where, "fixed", f"seminar {seminar!r} has no session in pass {pass_id!r}")
            )
        elif seminar in attendee.excluded:
            problems.append(Problem(where, "fixed", f"seminar {seminar!r} is also excluded"))
        elif seminar in pinned and parts.get(seminar, 1) == 1:  # (the parts of one run: the model)
            problems.append(
                Problem(
                    where,
                    "fixed",
                    f"seminar {seminar!r} pinned in both {pinned[seminar]!r} and {pass_id!r}",
                )
            )
        pinned[seminar] = pass_id
    return problems
