"""The checker finds every kind of broken rule in a hand-broken allocation."""

from __future__ import annotations

import pytest

from helpers import event_dict
from seatalloc import Event, check, solve
from seatalloc.schema import Allocation, Assignment, Unseated


@pytest.fixture(scope="module")
def solved() -> tuple[Event, Allocation]:
    event = Event.model_validate(event_dict(quotas=[{"organisation": "o1", "max_per_session": 2}]))
    return event, solve(event, work_limit=10, seed=3)


def _replace(allocation: Allocation, attendee: str, pass_id: str, seminar: str, room: str) -> Allocation:
    kept = [x for x in allocation.assignments if (x.attendee, x.pass_) != (attendee, pass_id)]
    new = Assignment(attendee=attendee, pass_=pass_id, seminar=seminar, room=room)
    return allocation.model_copy(update={"assignments": (*kept, new)})


def test_the_solver_result_is_valid(solved) -> None:
    event, allocation = solved
    report = check(event, allocation)
    assert report.ok and report.objective == allocation.objective == 102


def test_over_capacity(solved) -> None:
    event, allocation = solved
    # x3 sits with x1 or x2 in R1 somewhere; put everyone in P1's A (R1 seats 2).
    broken = allocation
    for who in ("x1", "x2", "x3"):
        broken = _replace(broken, who, "P1", "A", "R1")
    violations = check(event, broken).violations
    assert any("room 'R1': 3 seated, capacity 2" in v for v in violations)


def test_same_seminar_twice(solved) -> None:
    event, allocation = solved
    broken = _replace(_replace(allocation, "x1", "P1", "A", "R1"), "x1", "P2", "A", "R2")
    assert any("attendee 'x1' has seminar 'A' 2 times" in v for v in check(event, broken).violations)


def test_needs_not_met(solved) -> None:
    event, allocation = solved
    broken = _replace(allocation, "x2", "P1", "B", "R2")
    assert any("'x2' needs ['step-free']" in v for v in check(event, broken).violations)


def test_not_a_session(solved) -> None:
    event, allocation = solved
    broken = _replace(allocation, "x1", "P1", "B", "R1")
    assert any("which is not a session" in v for v in check(event, broken).violations)


def test_attendee_missing_from_a_pass(solved) -> None:
    event, allocation = solved
    kept = tuple(x for x in allocation.assignments if (x.attendee, x.pass_) != ("x3", "P2"))
    broken = allocation.model_copy(update={"assignments": kept})
    assert any(
        "'x3' is neither seated nor unseated in pass 'P2'" in v for v in check(event, broken).violations
    )


def test_attendee_both_seated_and_unseated(solved) -> None:
    event, allocation = solved
    extra = Unseated(attendee="x1", pass_="P1", code="full", reason="made up")
    broken = allocation.model_copy(update={"unseated": (*allocation.unseated, extra)})
    assert any("'x1' appears more than once in pass 'P1'" in v for v in check(event, broken).violations)


def test_session_quota_exceeded(solved) -> None:
    event, allocation = solved
    # x2 (step-free) sits in A, P1, R1; put x1 there too, and x3 elsewhere.
    broken = _replace(_replace(allocation, "x1", "P1", "A", "R1"), "x3", "P1", "B", "R2")
    strict = Event.model_validate(event_dict(quotas=[{"organisation": "o1", "max_per_session": 1}]))
    violations = check(strict, broken).violations
    assert any("organisation 'o1' has 2 in session 'A', pass 'P1'" in v for v in violations)
    assert not any("quota" in v for v in check(event, broken).violations)  # cap 2 holds


def test_max_seats_exceeded(solved) -> None:
    event, allocation = solved
    capped = Event.model_validate(event_dict(quotas=[{"organisation": "o1", "max_seats": 1}]))
    assert any("quota max_seats 1" in v for v in check(capped, allocation).violations)


def test_pin_not_honoured(solved) -> None:
    _, allocation = solved
    data = event_dict(quotas=[{"organisation": "o1", "max_per_session": 2}])
    data["attendees"][0]["fixed"] = {"P1": "B"}
    pinned = Event.model_validate(data)
    seminar = next(x.seminar for x in allocation.assignments if (x.attendee, x.pass_) == ("x1", "P1"))
    violations = check(pinned, allocation).violations
    assert (seminar == "B") == (not any("pinned to 'B'" in v for v in violations))


def test_excluded_seminar(solved) -> None:
    _, allocation = solved
    data = event_dict(quotas=[{"organisation": "o1", "max_per_session": 2}])
    data["attendees"][1]["excluded"] = ["A"]
    assert any(
        "'x2' is placed in excluded seminar 'A'" in v
        for v in check(Event.model_validate(data), allocation).violations
    )


def test_wrong_objective_and_bound(solved) -> None:
    event, allocation = solved
    lying = allocation.model_copy(update={"objective": 50, "bound": 200})
    violations = check(event, lying).violations
    assert any("stated objective 50 differs from recomputed 102" in v for v in violations)
    assert any("bound 200 is not a lower bound" in v for v in violations)


def test_unknown_attendee(solved) -> None:
    event, allocation = solved
    broken = _replace(allocation, "ghost", "P1", "A", "R1")
    assert any("unknown attendee 'ghost'" in v for v in check(event, broken).violations)
