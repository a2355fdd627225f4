"""Property tests: for any small valid event the result passes the checker, and on
tiny events its objective equals the brute-force optimum found with the checker."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seatalloc import Event, check, solve
from seatalloc.check.prices import Prices
from seatalloc.schema import Allocation, Assignment, Stats, Unseated
from strategies import events


def brute_force(event: Event) -> int | None:
    """Return the least cost over every allocation the checker accepts, or None.

    Under value-leximin, the least cost among the allocations whose values, lowest first, are
    the greatest (an attendee's value: per seat, the unseated cost minus the seat's cost).
    """
    prices = Prices(event)
    leximin = event.objective.kind == "value-leximin"
    passes = [p.id for p in event.passes]
    per_pass = {p: [(j, room) for j, q, room in event.candidate_sessions() if q == p] for p in passes}
    options = list(itertools.product(*[[None, *per_pass[p]] for p in passes]))
    best = None
    best_key: tuple = ()
    for combo in itertools.product(options, repeat=len(event.attendees)):
        assignments, unseated = [], []
        for person, plan in zip(event.attendees, combo, strict=True):
            for p, session in zip(passes, plan, strict=True):
                if session is None:
                    code = "full" if person.attends(p) else "not-attending"
                    unseated.append(Unseated(attendee=person.id, pass_=p, code=code, reason="-"))
                else:
                    assignments.append(
                        Assignment(attendee=person.id, pass_=p, seminar=session[0], room=session[1])
                    )
        candidate = Allocation(
            status="feasible",
            objective=None,
            bound=None,
            gap=None,
            assignments=assignments,
            unseated=unseated,
            stats=Stats(
                attendees=len(event.attendees),
                types=0,
                choice_counts={"seated": len(assignments)},
                sessions=(),
            ),
        )
        # Checked as an allocation that states the cost the checker computes for it.
        priced = candidate.model_copy(update={"objective": check(event, candidate).objective})
        report = check(event, priced)
        if not report.ok:
            continue
        values = dict.fromkeys((a.id for a in event.attendees), 0)
        for x in assignments:
            price = prices.of(next(a for a in event.attendees if a.id == x.attendee), x.seminar)
            values[x.attendee] += event.objective.unseated_cost - (price or 0)
        key = (tuple(-v for v in sorted(values.values())) if leximin else (), report.objective)
        if best is None or key < best_key:
            best, best_key = report.objective, key
    return best


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(events(), events(planned=True), events(venues=True), events(planned=True, venues=True)))
def test_every_result_passes_the_checker(event: Event) -> None:
    allocation = solve(event, work_limit=10, seed=0)
    assert allocation.status in ("optimal", "infeasible")
    if allocation.status == "optimal":
        report = check(event, allocation)
        assert report.ok, report.violations
    else:
        assert allocation.conflicts
        # Only rules that force seats or sessions can make an event infeasible.
        forced = (
            any(m.min_attendance for m in event.seminars)
            or event.planned
            or any(a.required for a in event.attendees)
        )
        assert forced or any(a.fixed for a in event.attendees)
    listed = len(allocation.assignments) + len(allocation.unseated)
    assert listed == len(event.attendees) * len(event.passes)


def _small_enough(event: Event) -> bool:
    options = 1
    for p in event.passes:
        options *= 1 + sum(q == p.id for _, q, _ in event.candidate_sessions())
    return options ** len(event.attendees) <= 5000


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(
    st.one_of(
        events(min_attendees=2, max_attendees=3, max_passes=2),
        events(min_attendees=2, max_attendees=3, max_passes=2, venues=True),
    ).filter(_small_enough)
)
def test_objective_equals_brute_force_on_tiny_events(event: Event) -> None:
    allocation = solve(event, work_limit=10, seed=0)
    best = brute_force(event)
    said = f"{allocation.status} {allocation.objective} ({allocation.solver}) for {event.to_json()}"
    if best is None:
        assert allocation.status == "infeasible", said
    else:
        assert allocation.status == "optimal", said  # (the event in full: it is drawn, nobody's data)
        assert allocation.objective == best, said
