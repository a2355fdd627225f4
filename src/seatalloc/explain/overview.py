"""What an organiser reads first: an allocation's figures in plain words, the technical term beside.

Shared by the HTML report and the command line summary, so both say the same
thing the same way. Names, not ids: organisations by name, seminars with their
titles, passes with their times, rooms with their venues. Aggregates only: no
attendee appears, and groups under ``MIN_GROUP`` are suppressed as in the audit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

from seatalloc.check.belongs import ensure_belongs
from seatalloc.check.plan import run_starts
from seatalloc.collector import collector_paused
from seatalloc.explain.audit import MIN_GROUP, group_profiles
from seatalloc.explain.places import UNRANKED, Places
from seatalloc.explain.why import unranked_reasons
from seatalloc.schema.allocation import Allocation
from seatalloc.schema.event import Event

#: An unseated attendee-pass's reason code, in words.
UNSEATED_WORDS = {
    "no-session": "no seminar open to them ran in that pass",
    "needs": "no room met their needs",
    "full": "every seminar open to them was full",
    "max-seats": "their organisation's seat limit was reached",
    "max-sessions": "they asked for fewer seminars",
    "cheaper-unseated": "seating them would have cost more than leaving them out",
    "fairness-rule": "a fairness rule of the event",
    "infeasible": "the event has no allocation",
    "no-solution": "no allocation was found in time",
    "not-admitted": "not admitted (on the waitlist)",
    "not-attending": "they do not attend that pass",
    "declined": "they declined their offer",
    "lapsed": "their offer lapsed unconfirmed",
}
#: Why an attendee did not get a seminar they ranked (see :mod:`seatalloc.explain.why`), in words.
WHY_WORDS = {
    "excluded": "they had excluded it",
    "other-pass": "they had it in another pass",
    "clash": "they had a seminar that clashes with it",
    "not-offered": "it did not run in that pass",
    "not-attending": "it runs in parts, one of them in a pass they do not attend",
    "needs": "no room of it met their needs",
    "venue": "it was in another venue and they may not move",
    "full": "it was full with people who ranked it as high",
    "quota": "their organisation's quota for it was reached",
    "max-seats": "their organisation's seat limit was reached",
    "cost": "it would have cost others more",
    "rules": "no allocation within the rules allows it",
    "no-choices": "they ranked no seminar",
    "pinned": "the event pins them there",
}
#: The waitlist's reason codes, in words.
WAITLIST_WORDS = {
    "event-full": "the event was full",
    "reserve-full": "their organisation's reserved seats were taken",
    "cannot-seat": "no seat could be found for them in every pass",
    "late": "registered after the deadline",
    "not-yet-registered": "not registered yet on the day solved",
    "declined": "declined the offer",
    "lapsed": "did not confirm the offer in time",
}
_VERDICT = {
    "optimal": "This is the best allocation the event's rules allow: proven, no allocation scores lower.",
    "feasible": "A valid allocation, not proven the best: it scores at most {gap} above the best possible.",
    "feasible-unbounded": "A valid allocation, not proven the best: how far above the best possible it "
    "scores is not known (no lower bound was proven).",
    "infeasible": "No allocation meets every rule of the event: see what conflicts and the smallest fix.",
    "unknown": "No allocation was found within the limits given.",
}
_STAGES = {
    "rank-maximal": "as many first choices as possible, then second choices, and so on",
    "leximin": "as few people as possible at their worst outcome, then the next worst, and so on",
    "minimax-rank": "as few people as possible at their worst outcome, then the next worst, and so on",
    "organisation-parity": "the fairest share of first choices between groups",
    "value-leximin": "the worst-off attendee's value as high as possible, then the next worst-off, and so on",
}


def outcome_words(key: str) -> str:
    """Return a choice-count key ('1', '2', ..., 'unranked', 'unseated') in words."""
    if key.isdigit():
        n = int(key)
        names = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}
        return f"{names.get(n, f'{n}th')} choice"
    return {"unranked": "a seminar they did not rank", "unseated": "no seat"}.get(key, key)


@dataclass(frozen=True)
class Figure:
    """One headline figure: the words an organiser reads, its value, and the technical term."""

    words: str
    value: str
    term: str = ""


@dataclass(frozen=True)
class Count:
    """A count with its words (a reason, an outcome)."""

    words: str
    count: int
    code: str = ""


@dataclass(frozen=True)
class SessionRow:
    """One session that runs, named: pass with its time, seminar with its title, room with its venue."""

    pass_: str
    seminar: str
    room: str
    seated: int
    capacity: int


@dataclass(frozen=True)
class GroupRow:
    """First choices in one group: per attendee (in some pass) and per attendee-pass."""

    dimension: str
    name: str
    attendees: int | None
    first_any: float | None
    first_per_pass: float | None


@dataclass(frozen=True)
class NeedRow:
    """One need (a room feature): who has it, and how their passes went."""

    need: str
    attendees: int
    seated_with: int
    seated_without: int
    unseated: int


@dataclass(frozen=True)
class WaitRow:
    """Admission per organisation: seats reserved, attendees admitted and waiting."""

    organisation: str
    reserved: int | None
    admitted: int
    waiting: int


@dataclass(frozen=True)
class Overview:
    """Everything the report and the summary show, in words."""

    title: str
    attendees: int
    verdict: str
    figures: tuple[Figure, ...]
    goal: str | None
    outcomes: tuple[Count, ...]
    first_any: int
    sessions: tuple[SessionRow, ...]
    groups: tuple[GroupRow, ...]
    hidden_groups: tuple[str, ...]
    venue_moves: int | None
    needs: tuple[NeedRow, ...]
    pins: tuple[Count, ...]  # pinned places by the reason the event gives
    unseated: tuple[Count, ...]
    unranked: tuple[Count, ...]
    waitlist: tuple[Count, ...]
    admission: tuple[WaitRow, ...]
    reproduce: tuple[Figure, ...]
    conflicts: tuple[str, ...]
    fixes: tuple[str, ...]
    note: str | None
    seated_any: bool
    not_running: tuple[str, ...] = ()  # seminars that do not run, each with why, in words

    @property
    def moves_line(self) -> str | None:
        """The venue moves and needs in one sentence, or None when neither applies."""
        parts = []
        if self.venue_moves is not None:
            parts.append(f"{self.venue_moves:,} attendees change venue between passes")
        for n in self.needs:
            met = (
                "all met"
                if not n.seated_without and not n.unseated
                else (f"{n.seated_with} places met, {n.seated_without} not met, {n.unseated} without a seat")
            )
            parts.append(f"{n.attendees} need {n.need}: {met}")
        return "; ".join(parts) or None


def overview(event: Event, allocation: Allocation) -> Overview:
    """Return the figures of ``allocation`` in words (see :class:`Overview`)."""
    with collector_paused():  # figures per attendee, no cycles
        return _overview(event, allocation)


def _overview(event: Event, allocation: Allocation) -> Overview:
    a = allocation
    seated_any = a.status in ("optimal", "feasible")
    orgs = {o.id: o.name or o.id for o in event.organisations}
    solver = a.solver
    kind = solver.objective if solver else event.objective.kind
    figures = [Figure("attendees registered", f"{len(event.attendees):,}")]
    first_any = 0
    outcomes: tuple[Count, ...] = ()
    groups: tuple[GroupRow, ...] = ()
    hidden: tuple[str, ...] = ()
    places = None
    if seated_any:
        ensure_belongs(event, a)
        places = Places.of(event, a)
        first_any = int(places.first_any().sum())
        every = int(places.seated_every().sum())
        figures += [
            Figure("seated in every pass they attend", f"{every:,}"),
            Figure(
                "got their first choice in some pass",
                f"{first_any:,} ({_share(first_any, len(event.attendees))})",
            ),
            Figure("total disappointment score (lower is better)", _number(a.objective), "objective"),
        ]
        figures += _rounds(event, a)
        outcomes = tuple(Count(outcome_words(k), v, k) for k, v in a.stats.choice_counts.items())
        groups, hidden = _groups(event, places, orgs)
    figures.append(Figure("no allocation can score below", _number(a.bound), "proven bound"))
    if a.gap is not None:
        gap = "none: proven best" if a.status == "optimal" else f"at most {a.gap:.2%}"
        figures.append(Figure("room for improvement", gap, "gap"))
    return Overview(
        title=event.name or "Allocation",
        attendees=len(event.attendees),
        verdict=_verdict(a),
        figures=tuple(figures),
        goal=_STAGES.get(kind),
        outcomes=outcomes,
        first_any=first_any,
        sessions=_sessions(event, a) if seated_any else (),
        groups=groups,
        hidden_groups=hidden,
        venue_moves=_venue_moves(event, places) if places is not None else None,
        needs=_needs(event, a, places) if places is not None else (),
        pins=_pins(event) if seated_any else (),
        unseated=_by_code(UNSEATED_WORDS, a.unseated_codes()) if seated_any else (),
        unranked=_unranked(event, a, places) if places is not None else (),
        waitlist=_by_code(WAITLIST_WORDS, (w.code for w in a.waitlist)),
        admission=_admission(event, a, orgs) if event.admits and seated_any else (),
        reproduce=_reproduce(a),
        conflicts=a.conflicts if not seated_any else (),
        fixes=a.relaxation if not seated_any else (),
        note=solver.note if solver is not None else None,
        seated_any=seated_any,
        not_running=_not_running(event, a) if seated_any else _never_run(event),
    )


def _never_run(event: Event) -> tuple[str, ...]:
    """Seminars that attendees rank but that have no session and no runs: they can never run."""
    listed = {s.seminar for s in event.sessions}
    never = [m.id for m in event.seminars if m.id not in listed and not m.runs]
    ranked = _ranked(event) if never else Counter()
    return tuple(
        f"seminar {m!r} never runs: it has no session and no runs, and {ranked[m]:,} attendee(s) rank it"
        for m in never
        if ranked[m]
    )


def _not_running(event: Event, a: Allocation) -> tuple[str, ...]:
    """Seminars that do not run in ``a``: those that never can, and optional ones the plan cancelled."""
    running = {seminar for seminar, _, _ in a.sessions_run(event)}
    cancelled = [m.id for m in event.seminars if m.optional and m.id not in running]
    ranked = _ranked(event) if cancelled else Counter()
    return _never_run(event) + tuple(
        f"seminar {m!r} is cancelled: it is optional and the plan does not run it "
        f"({ranked[m]:,} attendee(s) rank it)"
        for m in cancelled
    )


def _ranked(event: Event) -> Counter[str]:
    """How many attendees rank each seminar (counted in C: a million attendees in a fraction of a
    second)."""
    return Counter(chain.from_iterable(map(attrgetter("choices"), event.attendees)))


def _verdict(a: Allocation) -> str:
    """The verdict in one sentence, with the status: a feasible one without a gap says it is unknown."""
    if a.status == "feasible" and a.gap is None:
        return _VERDICT["feasible-unbounded"] + " (feasible)"
    return _VERDICT[a.status].format(gap=f"{a.gap or 0:.2%}") + f" ({a.status})"


def _group_name(dimension: str, value: str, orgs: dict[str, str]) -> str:
    return orgs.get(value, value) if dimension == "organisation" else f"{dimension}: {value}"


def _number(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def _pins(event: Event) -> tuple[Count, ...]:
    """Pinned places (attendee-passes) by their reason."""
    notes = (a.pin_note(p) or "" for a in event.attendees if a.fixed for p in a.fixed)
    return _counted(
        (note.removeprefix("pinned: ") if note != "pinned" else "no reason given", "pinned") for note in notes
    )


def _by_code(words: Mapping[str, str], codes: Iterable[str]) -> tuple[Count, ...]:
    """Count codes, most common first, each with its words."""
    counts = Counter(codes)
    return tuple(Count(words.get(code, code), n, code) for code, n in counts.most_common())


def _counted(items: Iterable[tuple[str, str]]) -> tuple[Count, ...]:
    """Count (words, code) pairs, most common first."""
    counts = Counter(items)
    return tuple(Count(words, n, code) for (words, code), n in counts.most_common())


def pass_label(event: Event, pass_id: str) -> str:
    """Return a pass with its time: 'P1 13:00-13:45'."""
    p = next(p for p in event.passes if p.id == pass_id)
    return f"{p.id} {p.start}-{p.end}" if p.start and p.end else p.id


def _sessions(event: Event, a: Allocation) -> tuple[SessionRow, ...]:
    titles = {m.id: m.title for m in event.seminars}
    venues = {r.id: r.venue for r in event.rooms}
    passes = {p.id: pass_label(event, p.id) for p in event.passes}
    part = _parts(event, a)
    return tuple(
        SessionRow(
            passes.get(s.pass_, s.pass_),  # an allocation's stats are not the checker's concern
            (f"{s.seminar}: {titles[s.seminar]}" if titles.get(s.seminar) else s.seminar)
            + part.get((s.seminar, s.pass_, s.room), ""),
            f"{s.room}, {venues[s.room]}" if venues.get(s.room) else s.room,
            s.seated,
            s.capacity,
        )
        for s in a.stats.sessions
    )


def _rounds(event: Event, a: Allocation) -> list[Figure]:
    """Figures of earlier editions and of a response round, when the event or allocation has them."""
    out = []
    back = [p.history.score for p in event.attendees if p.history is not None]
    if back:
        weight = event.objective.history_weight
        how = f"their costs count 1 + {weight} x their score" if weight else "by priority class, if set"
        worse = sum(s > 0 for s in back)
        out.append(
            Figure(
                "returning from earlier editions", f"{len(back):,} ({worse:,} fared worse; {how})", "history"
            )
        )
    if a.offers:
        out.append(Figure("new offers in this response round", f"{len(a.offers):,}", "offers"))
    return out


def _parts(event: Event, a: Allocation) -> dict[tuple[str, str, str], str]:
    """`` (part i of k)`` for each session that is a part of a run of a seminar with parts."""
    parts = {m.id: m.parts for m in event.seminars if m.parts > 1}
    if not parts:
        return {}
    order = [p.id for p in event.passes]
    starts, _ = run_starts(event, a.sessions_run(event))
    return {
        (seminar, order[order.index(first) + i], room): f" (part {i + 1} of {parts[seminar]})"
        for seminar, runs in starts.items()
        if seminar in parts
        for first, room in runs
        for i in range(parts[seminar])
    }


def _groups(
    event: Event, places: Places, orgs: dict[str, str]
) -> tuple[tuple[GroupRow, ...], tuple[str, ...]]:
    """First choices per group, per attendee and per place (the audit's group profiles, by name);
    groups under :data:`MIN_GROUP` by name only."""
    profiles, _ = group_profiles(event, places)
    shown = tuple(
        GroupRow(
            g.dimension,
            _group_name(g.dimension, g.value, orgs),
            g.attendees,
            g.first_choice_attendees,
            g.first_choice_share,
        )
        for g in profiles
        if g.attendees is not None
    )
    hidden = tuple(_group_name(g.dimension, g.value, orgs) for g in profiles if g.attendees is None)
    return shown, hidden


def _venue_moves(event: Event, places: Places) -> int | None:
    """Attendees whose venue changes between two consecutive passes; None with one venue or pass."""
    if len({r.venue for r in event.rooms if r.venue}) < 2 or len(event.passes) < 2:
        return None
    return places.venue_moves(event)


def _needs(event: Event, a: Allocation, places: Places) -> tuple[NeedRow, ...]:
    """Per need: attendees who have it, their places in a room with it and without, and their
    places without a seat (leaving out those not admitted)."""
    features = [set(r.features) for r in event.rooms]
    waiting = {w.attendee for w in a.waitlist}
    rows: dict[str, list[int]] = {}
    for i, person in enumerate(event.attendees):
        for need in person.needs:
            row = rows.setdefault(need, [0, 0, 0, 0])
            row[0] += 1
            for room in places.room[i].tolist():
                if room >= 0:
                    row[1 if need in features[room] else 2] += 1
                elif person.id not in waiting:
                    row[3] += 1
    return tuple(NeedRow(need, *counts) for need, counts in sorted(rows.items()))


def _unranked(event: Event, a: Allocation, places: Places) -> tuple[Count, ...]:
    """Attendee-passes seated in a seminar they did not rank, by why their ranked seminars were
    not given (:func:`~seatalloc.explain.why.unranked_reasons`)."""
    if not (places.rank == UNRANKED).any():
        return ()
    return _counted((WHY_WORDS[code], code) for code in unranked_reasons(event, a, places))


def _admission(event: Event, a: Allocation, orgs: dict[str, str]) -> tuple[WaitRow, ...]:
    waiting = {w.attendee: w.code for w in a.waitlist}
    org = {p.id: p.organisation or "" for p in event.attendees}
    admitted = Counter(org[p] for p in org if p not in waiting)
    queued = Counter(org[p] for p, code in waiting.items() if code in ("event-full", "reserve-full"))
    reserved = {r.organisation: r.reserved for r in event.reserves}
    return tuple(
        WaitRow(orgs.get(o, o) or "(none)", reserved.get(o), admitted[o], queued[o])
        for o in sorted(set(admitted) | set(queued) | set(reserved))
    )


def _reproduce(a: Allocation) -> tuple[Figure, ...]:
    s = a.solver
    if s is None:
        return ()
    out = [
        Figure("seatalloc version", s.version or "-"),
        Figure("method", s.method),
        Figure("objective", s.objective),
        Figure("seed", str(s.seed)),
        Figure("work limit", "-" if s.work_limit is None else f"{s.work_limit:g}"),
        Figure("time limit", "-" if s.time_limit is None else f"{s.time_limit:g} s"),
    ]
    if a.as_of is not None:
        out.append(Figure("admission as of", a.as_of.isoformat()))
    if s.finished is not None:
        out.append(Figure("solved", s.finished.strftime("%Y-%m-%d %H:%M UTC")))
    return tuple(out)


__all__ = ["MIN_GROUP", "Overview", "outcome_words", "overview", "pass_label"]
