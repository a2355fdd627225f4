"""The independent checker: the specification of a valid allocation.

It recomputes every rule and the objective from the event and the allocation
alone, in plain Python, without OR-Tools, the compiled arrays or the event's
own pricing (``check.prices``), so a bug in the model cannot hide in the check.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from seatalloc.check.admission import check_admission
from seatalloc.check.certificate import certify
from seatalloc.check.plan import check_plan, run_starts
from seatalloc.check.prices import Prices
from seatalloc.schema.allocation import Allocation
from seatalloc.schema.event import Event
from seatalloc.schema.records import Attendee


@dataclass(frozen=True)
class CheckReport:
    """The outcome of a check.

    Attributes
    ----------
    violations
        One sentence per broken rule; empty when the allocation is valid.
    objective
        The total cost recomputed from the event's objective (with the
        allocation's ``move_cost`` per move after a re-solve).
    certified
        The bound the allocation's certificate proves, recomputed (``check.certificate``); None
        without a certificate or when its prices could not be read.
    """

    violations: tuple[str, ...]
    objective: int
    certified: int | None = None

    @property
    def ok(self) -> bool:
        """True when no rule is broken."""
        return not self.violations


def check(event: Event, allocation: Allocation, *, certificate: bool = True) -> CheckReport:
    """Check every rule of ``event`` against ``allocation``.

    Parameters
    ----------
    event
        The event that was solved.
    allocation
        The allocation to check.
    certificate
        Also recompute the bound of the allocation's certificate (each
        attendee's cheapest itinerary at its prices: tens of microseconds an
        attendee, more than the rest of the check).

    Returns
    -------
    CheckReport
        The violations found (every one, not just the first) and the
        recomputed objective.
    """
    if allocation.status not in ("optimal", "feasible"):
        return _check_without_seats(event, allocation)
    v: list[str] = []
    passes = [p.id for p in event.passes]
    rooms = {r.id: r for r in event.rooms}
    attendees = {a.id: a for a in event.attendees}
    plan = allocation.sessions_run(event)
    sessions = set(plan)
    v += check_plan(event, plan) if event.planned else []
    objective = event.objective
    catalog = {m.id: m for m in event.seminars}
    prices = Prices(event)

    parts = {m.id: m.parts for m in event.seminars}
    order = {p: i for i, p in enumerate(passes)}
    starts = run_starts(event, plan)[0]
    runs_in: defaultdict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)  # (a, seminar)
    placed: dict[tuple[str, str], str | None] = {}  # (attendee, pass) -> seminar or None
    fill: Counter[tuple[str, str, str]] = Counter()
    org_fill: Counter[tuple[str, str, str, str]] = Counter()
    total = 0
    unranked, weight = objective.unranked_cost, objective.weight
    features = {r.id: frozenset(r.features) for r in event.rooms}
    in_parts = {m.id for m in event.seminars if m.parts > 1}
    per_session = any(q.max_per_session is not None for q in event.quotas)  # (org_fill: for those)
    for x in allocation.assignments:
        attendee, pass_id, seminar, room = x.attendee, x.pass_, x.seminar, x.room
        key = (attendee, pass_id)
        at = (seminar, pass_id, room)
        who = attendees.get(attendee)
        if who is None:
            v.append(f"assignment of unknown attendee {attendee!r}")
            continue
        if at not in sessions:
            v.append(
                f"attendee {attendee!r} is placed in seminar {seminar!r}, pass {pass_id!r}, "
                f"room {room!r}, which is not a session"
            )
            continue
        if key in placed:
            v.append(f"attendee {attendee!r} appears more than once in pass {pass_id!r}")
            continue
        placed[key] = seminar
        if seminar in in_parts:
            runs_in[(attendee, seminar)].append((order[pass_id], room))
        if who.available is not None and pass_id not in who.available:
            v.append(f"attendee {attendee!r} is seated in pass {pass_id!r}, which they do not attend")
        fill[at] += who.size
        if per_session and who.organisation is not None:
            org_fill[(who.organisation, *at)] += who.size
        if who.needs and not features[room].issuperset(who.needs):
            missing = sorted(set(who.needs) - features[room])
            v.append(f"attendee {attendee!r} needs {missing} but room {room!r} lacks it")
        if seminar in who.excluded:
            v.append(f"attendee {attendee!r} is placed in excluded seminar {seminar!r}")
        cost = prices.of(who, seminar)
        if cost is None:
            v.append(f"attendee {attendee!r} is placed in {seminar!r}, which they did not list (only_listed)")
            cost = unranked
        total += weight(who) * cost

    for u in allocation.unseated_places():
        key = (u.attendee, u.pass_)
        if u.attendee not in attendees or u.pass_ not in order:
            v.append(f"unseated entry for unknown attendee or pass {key!r}")
        elif key in placed:
            v.append(f"attendee {u.attendee!r} appears more than once in pass {u.pass_!r}")
        else:
            placed[key] = None
            away = not attendees[u.attendee].attends(u.pass_)
            if away != (u.code == "not-attending"):
                v.append(f"attendee {u.attendee!r} is unseated in pass {u.pass_!r} with reason {u.code!r}")
            total += 0 if away else weight(attendees[u.attendee]) * objective.unseated_cost

    seated_anywhere: Counter[str] = Counter()
    capped = {q.organisation for q in event.quotas if q.max_seats is not None}
    for a in event.attendees:
        got = [placed.get((a.id, p), "missing") for p in passes]
        if "missing" in got or a.fixed:
            for p, had in zip(passes, got, strict=True):
                if had == "missing":
                    v.append(f"attendee {a.id!r} is neither seated nor unseated in pass {p!r}")
                elif p in a.fixed and had != a.pins[p]:
                    v.append(f"attendee {a.id!r} is pinned to {a.pins[p]!r} in pass {p!r}, got {had!r}")
        seminars = [s for s in got if s is not None and s != "missing"]
        # Attendees left out by admission or by their organisation's max_seats have no seat at all.
        left_out = not seminars and (event.admits or a.organisation in capped)
        for need in () if left_out else a.required:
            if need not in seminars:
                v.append(f"attendee {a.id!r} must be given seminar {need!r} and is not")
        if len(set(seminars)) < len(seminars) or any(parts.get(s, 1) > 1 for s in seminars):
            for seminar, times in Counter(seminars).items():
                if parts.get(seminar, 1) > 1:
                    v += _check_run(
                        a.id, seminar, sorted(runs_in[(a.id, seminar)]), passes, starts, parts[seminar]
                    )
                elif times > 1:
                    v.append(f"attendee {a.id!r} has seminar {seminar!r} {times} times")
        for group in event.clashes:
            taken = sorted(set(group) & set(seminars))
            if len(taken) > 1:
                v.append(f"attendee {a.id!r} has {taken}, of which they may take one (clashes)")
        if a.max_sessions is not None:
            if len(seminars) > a.max_sessions:
                v.append(f"attendee {a.id!r} has {len(seminars)} sessions, max_sessions is {a.max_sessions}")
            attended = sum(map(a.attends, passes))  # passes beyond the load cost nothing left empty
            total -= weight(a) * objective.unseated_cost * max(0, attended - a.max_sessions)
        if seminars and a.organisation is not None:
            seated_anywhere[a.organisation] += a.size

    for (seminar, pass_id, room), count in sorted(fill.items()):
        if count > rooms[room].capacity:
            v.append(
                f"session {seminar!r} in pass {pass_id!r}, room {room!r}: {count} seated, "
                f"capacity {rooms[room].capacity}"
            )
        most = catalog[seminar].max_attendance
        if most is not None and count > most:
            v.append(f"session {seminar!r} in pass {pass_id!r}: {count} seated, max_attendance {most}")
    for seminar, pass_id, room in plan:
        least = max(
            [catalog[seminar].min_attendance if seminar in catalog else 0]
            + [
                s.min_attendance
                for s in event.sessions
                if s.seminar == seminar and s.pass_ in (None, pass_id) and s.room in (None, room)
            ]
        )
        count = fill[(seminar, pass_id, room)]
        if count < least:
            v.append(f"session {seminar!r} in pass {pass_id!r}: {count} seated, min_attendance {least}")
    for limit in event.shared_limits:
        people = sum(count for (seminar, _, _), count in fill.items() if seminar in limit.seminars)
        if people > limit.max_seats:
            what = limit.name or f"seminars {list(limit.seminars)}"
            v.append(f"{what}: {people} seated, shared limit {limit.max_seats}")
    per_org: defaultdict[str, list[tuple[tuple[str, str, str], int]]] = defaultdict(list)
    for (org, *where), count in org_fill.items():
        per_org[org].append((tuple(where), count))  # type: ignore[arg-type]
    for q in event.quotas:
        if q.max_seats is not None and seated_anywhere[q.organisation] > q.max_seats:
            v.append(
                f"organisation {q.organisation!r} has {seated_anywhere[q.organisation]} "
                f"attendees seated, quota max_seats {q.max_seats}"
            )
        if q.max_per_session is None:
            continue
        for (seminar, pass_id, room), count in sorted(per_org[q.organisation]):
            matches = (q.seminar in (None, seminar)) and (q.pass_ in (None, pass_id))
            if matches and count > q.max_per_session:
                v.append(
                    f"organisation {q.organisation!r} has {count} in session {seminar!r}, "
                    f"pass {pass_id!r}, room {room!r}, quota max_per_session {q.max_per_session}"
                )

    v += check_admission(event, allocation, placed)
    total += (allocation.move_cost or 0) * len(allocation.moves)
    moved, broken = _venue_moves(event, allocation)
    v += broken
    if event.venue_moves is not None and event.venue_moves.rule == "penalised":
        total += event.venue_moves.cost * moved
    v += _check_parties(event, allocation)
    v += _check_parity(event, placed, passes)
    v += _check_diversity(event, allocation)
    v += _check_summary(allocation, total)
    certified = None
    if certificate and allocation.certificate is not None:
        certified, problems = certify(event, allocation.certificate)
        v += problems
    return CheckReport(violations=tuple(v), objective=total, certified=certified)


def _check_run(
    attendee: str,
    seminar: str,
    places: list[tuple[int, str]],
    passes: list[str],
    starts: dict[str, list[tuple[str, str]]],
    parts: int,
) -> list[str]:
    """Check that ``attendee`` sits in every part of one run of ``seminar``, and in no other."""
    first, room = places[0]
    whole = [(first + i, room) for i in range(parts)]
    if places != whole or (passes[first], room) not in starts.get(seminar, []):
        got = [(passes[p], r) for p, r in places]
        return [
            f"attendee {attendee!r} has seminar {seminar!r} in {got}, not in the {parts} parts of one run"
        ]
    return []


def _check_without_seats(event: Event, allocation: Allocation) -> CheckReport:
    """Check an allocation that found none (infeasible or unknown): no seat, everyone listed once.

    Rules that need seats (pins, required seminars, minimum attendance) do not
    apply: the status says there is no allocation, and the reasons say why.
    """
    v = [f"status {allocation.status} but {len(allocation.assignments)} seats are given"] * bool(
        allocation.assignments
    )
    listed = Counter((u.attendee, u.pass_) for u in allocation.unseated_places())
    passes = [p.id for p in event.passes]
    wanted = {(a.id, p) for a in event.attendees for p in passes}
    for key in sorted(set(listed) - wanted):
        v.append(f"unseated entry for unknown attendee or pass {key!r}")
    for a in event.attendees:
        for p in passes:
            if listed[(a.id, p)] != 1:
                v.append(f"attendee {a.id!r} is listed {listed[(a.id, p)]} times in pass {p!r}, not once")
    if allocation.objective is not None:
        v.append(f"status {allocation.status} but an objective {allocation.objective} is stated")
    unseated = event.objective.unseated_cost
    total = sum(
        event.objective.weight(a)
        * unseated
        * min(a.max_sessions if a.max_sessions is not None else len(passes), sum(map(a.attends, passes)))
        for a in event.attendees
    )
    return CheckReport(violations=tuple(v), objective=total)


def _check_summary(allocation: Allocation, total: int) -> list[str]:
    v = []
    if allocation.status in ("optimal", "feasible"):
        if allocation.objective != total:
            v.append(f"stated objective {allocation.objective} differs from recomputed {total}")
        bound = allocation.bound
        if bound is not None and bound > total:
            v.append(f"bound {bound} is not a lower bound of the objective {total}")
        elif allocation.status == "optimal" and bound != total:
            v.append(f"status optimal but bound {bound} differs from objective {total}")
    seated = sum(c for k, c in allocation.stats.choice_counts.items() if k != "unseated")
    if seated != len(allocation.assignments):
        v.append(f"stats count {seated} seated, assignments list {len(allocation.assignments)}")
    return v


def _venue_moves(event: Event, allocation: Allocation) -> tuple[int, list[str]]:
    """Count venue changes between consecutive passes; list those the event forbids."""
    rules = event.venue_moves
    if rules is None:
        return 0, []
    venue = {r.id: r.venue or "" for r in event.rooms}
    room = {(x.attendee, x.pass_): x.room for x in allocation.assignments}
    passes = [p.id for p in event.passes]
    protected = set(rules.forbidden_for)
    moved, v = 0, []
    for a in event.attendees:
        for before, after in zip(passes, passes[1:], strict=False):
            here, there = room.get((a.id, before)), room.get((a.id, after))
            if here is None or there is None or venue[here] == venue[there]:
                continue
            moved += 1
            if rules.rule == "forbidden" or protected & set(a.needs):
                v.append(f"attendee {a.id!r} changes venue between {before!r} and {after!r} (forbidden)")
    return moved, v


def _check_parties(event: Event, allocation: Allocation) -> list[str]:
    """Check that each party sits in one session (or goes without) in every pass it names, its
    members who attend the pass."""
    members: defaultdict[str, list[Attendee]] = defaultdict(list)
    for a in event.attendees:
        if a.party is not None:
            members[a.party].append(a)
    if not members:
        return []
    named = {party.id: party.passes for party in event.parties}
    seat = {(x.attendee, x.pass_): (x.seminar, x.room) for x in allocation.assignments}
    v = []
    for party, people in sorted(members.items()):
        for pass_id in named.get(party) or [p.id for p in event.passes]:
            where = {seat.get((who.id, pass_id)) for who in people if who.attends(pass_id)}
            if len(where) > 1:
                v.append(f"party {party!r} is split in pass {pass_id!r}: {sorted(map(str, where))}")
    return v


def _check_parity(event: Event, placed: dict[tuple[str, str], str | None], passes: list[str]) -> list[str]:
    """Check every parity rule: top-choice shares of any two groups within the gap."""
    v = []
    for rule in event.parity:
        good: Counter[str] = Counter()
        size: Counter[str] = Counter()
        for a in event.attendees:
            group = a.group(rule.attribute)
            if group is None:
                continue
            attended = [p for p in passes if a.attends(p)]
            size[group] += len(attended)
            top = a.choices[: rule.top]
            good[group] += sum(placed.get((a.id, p)) in top for p in attended)
        shares = {g: good[g] / size[g] for g in size}
        if not shares:
            continue
        high = max(shares, key=lambda g: shares[g])
        low = min(shares, key=lambda g: shares[g])
        gap = 100 * (shares[high] - shares[low])
        if gap > rule.max_gap + 1e-9:
            v.append(
                f"parity on {rule.attribute!r}: {high!r} {shares[high]:.1%} and {low!r} "
                f"{shares[low]:.1%} differ by {gap:.2f} points, more than {rule.max_gap}"
            )
    return v


def _check_diversity(event: Event, allocation: Allocation) -> list[str]:
    """Check every diversity rule in every session large enough for it."""
    v: list[str] = []
    if not event.diversity:
        return v
    seated = seated_by_session(event, allocation)
    for rule in event.diversity:
        for (seminar, pass_id, room), people in sorted(seated.items()):
            if len(people) < rule.min_session_size:
                continue
            where = f"session {seminar!r}, pass {pass_id!r}, room {room!r}"
            values = Counter(g for g in (p.group(rule.attribute) for p in people) if g is not None)
            value, most = values.most_common(1)[0] if values else (None, 0)
            if rule.max_share is not None and 100 * most > rule.max_share * len(people) + 1e-9:
                v.append(
                    f"{where}: {most} of {len(people)} have {rule.attribute} {value!r}, "
                    f"more than {rule.max_share}%"
                )
            if rule.max_seats is not None and most > rule.max_seats:
                v.append(f"{where}: {most} have {rule.attribute} {value!r}, more than {rule.max_seats}")
            if len(values) < rule.min_distinct:
                v.append(
                    f"{where}: {len(values)} distinct {rule.attribute} values, fewer than {rule.min_distinct}"
                )
    return v


def seated_by_session(event: Event, allocation: Allocation) -> dict[tuple[str, str, str], list[Attendee]]:
    """Return the attendees seated in each (seminar, pass, room), ignoring unknown ids."""
    attendees = {a.id: a for a in event.attendees}
    seated: defaultdict[tuple[str, str, str], list[Attendee]] = defaultdict(list)
    for x in allocation.assignments:
        if x.attendee in attendees:
            seated[(x.seminar, x.pass_, x.room)].append(attendees[x.attendee])
    return seated
