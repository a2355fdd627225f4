"""Property tests: for any small valid event the result passes the checker, and on
tiny events its objective equals the brute-force optimum found with the checker."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seatalloc import Event, check, solve
from seatalloc.schema import Allocation, Assignment, Stats, Unseated


@st.composite
def events(draw, min_attendees: int = 1, max_attendees: int = 6, max_passes: int = 3):
    n_passes = draw(st.integers(1, max_passes))
    seminars = [f"S{i}" for i in range(draw(st.integers(1, 4)))]
    rooms = [
        {
            "id": f"R{i}",
            "capacity": draw(st.integers(0, 3)),
            "features": ["sf"] if draw(st.booleans()) else [],
        }
        for i in range(draw(st.integers(1, 3)))
    ]
    sessions = []
    for p in range(n_passes):
        for room in rooms:
            if draw(st.booleans()):
                sessions.append(
                    {"seminar": draw(st.sampled_from(seminars)), "pass": f"P{p}", "room": room["id"]}
                )
    orgs = ["o1", "o2"]
    quotas = []
    if draw(st.booleans()):
        quota = {"organisation": "o1", "max_per_session": draw(st.integers(0, 2))}
        if draw(st.booleans()):
            quota["seminar"] = draw(st.sampled_from(seminars))
        quotas.append(quota)
    if draw(st.booleans()):
        quotas.append({"organisation": "o2", "max_seats": draw(st.integers(0, 2))})
    offered = {(s["pass"], s["seminar"]) for s in sessions}
    attendees = []
    for a in range(draw(st.integers(min_attendees, max_attendees))):
        choices = draw(st.permutations(seminars))[: draw(st.integers(0, len(seminars)))]
        person = {"id": f"a{a}", "organisation": draw(st.sampled_from(orgs)), "choices": list(choices)}
        if draw(st.integers(0, 4)) == 0:
            person["needs"] = ["sf"]
        if draw(st.integers(0, 5)) == 0:
            person["excluded"] = [draw(st.sampled_from(seminars))]
        if offered and draw(st.integers(0, 6)) == 0:
            p, j = draw(st.sampled_from(sorted(offered)))
            if j not in person.get("excluded", []):
                person["fixed"] = {p: j}
        attendees.append(person)
    objective = {
        "rank_costs": draw(st.lists(st.integers(0, 9), min_size=0, max_size=4)),
        "unranked_cost": draw(st.integers(0, 20)),
        "unseated_cost": draw(st.integers(0, 60)),
    }
    return Event.model_validate(
        {
            "passes": [{"id": f"P{p}"} for p in range(n_passes)],
            "rooms": rooms,
            "seminars": [{"id": s} for s in seminars],
            "sessions": sessions,
            "organisations": [{"id": o} for o in orgs],
            "quotas": quotas,
            "attendees": attendees,
            "objective": objective,
        }
    )


def brute_force(event: Event) -> int | None:
    """Return the least cost over every allocation the checker accepts, or None."""
    passes = [p.id for p in event.passes]
    per_pass = {p: [s for s in event.sessions if s.pass_ == p] for p in passes}
    options = list(itertools.product(*[[None, *per_pass[p]] for p in passes]))
    best = None
    for combo in itertools.product(options, repeat=len(event.attendees)):
        assignments, unseated = [], []
        for person, plan in zip(event.attendees, combo, strict=True):
            for p, session in zip(passes, plan, strict=True):
                if session is None:
                    unseated.append(Unseated(attendee=person.id, pass_=p, code="full", reason="-"))
                else:
                    assignments.append(
                        Assignment(attendee=person.id, pass_=p, seminar=session.seminar, room=session.room)
                    )
        candidate = Allocation(
            status="unknown",
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
        report = check(event, candidate)
        if report.ok and (best is None or report.objective < best):
            best = report.objective
    return best


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events())
def test_every_result_passes_the_checker(event: Event) -> None:
    allocation = solve(event, time_limit=10, seed=0)
    assert allocation.status in ("optimal", "infeasible")
    if allocation.status == "optimal":
        report = check(event, allocation)
        assert report.ok, report.violations
    else:
        assert allocation.conflicts
        assert any(a.fixed for a in event.attendees)  # only pins can make an event infeasible
    listed = len(allocation.assignments) + len(allocation.unseated)
    assert listed == len(event.attendees) * len(event.passes)


def _small_enough(event: Event) -> bool:
    options = 1
    for p in event.passes:
        options *= 1 + sum(s.pass_ == p.id for s in event.sessions)
    return options ** len(event.attendees) <= 5000


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(events(min_attendees=2, max_attendees=3, max_passes=2).filter(_small_enough))
def test_objective_equals_brute_force_on_tiny_events(event: Event) -> None:
    allocation = solve(event, time_limit=10, seed=0)
    best = brute_force(event)
    if best is None:
        assert allocation.status == "infeasible"
    else:
        assert allocation.status == "optimal"
        assert allocation.objective == best
