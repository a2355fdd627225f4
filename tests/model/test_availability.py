"""Availability per pass: an attendee's ``available`` passes. Not seated in the others (reason
not-attending), which cost nothing; a pin in such a pass is an input error; the checker, the
explanations and the report know it, in every method."""

from __future__ import annotations

import pytest

from helpers import event_dict, queue_event
from seatalloc import Event, InputError, check, explain, solve
from seatalloc.explain.overview import overview
from seatalloc.explain.report import render_report
from seatalloc.schema.allocation import Assignment, Unseated


def _event(**changes: object) -> Event:
    """A in P1 and B in P2, two seats each; 'early' leaves after P1, 'late' comes for P2."""
    data = event_dict(
        rooms=[{"id": "R1", "capacity": 2}],
        sessions=[{"seminar": "A", "pass": "P1", "room": "R1"}, {"seminar": "B", "pass": "P2", "room": "R1"}],
        attendees=[
            {"id": "early", "choices": ["A", "B"], "available": ["P1"]},
            {"id": "late", "choices": ["A", "B"], "available": ["P2"]},
            {"id": "all", "choices": ["B", "A"]},
        ],
    )
    data.update(changes)
    return Event.model_validate(data)


def _seats(allocation) -> dict[tuple[str, str], str]:
    return {(x.attendee, x.pass_): x.seminar for x in allocation.assignments}


@pytest.mark.parametrize("method", ["flow", "cp-sat", "lns"])
def test_nobody_is_seated_or_charged_in_a_pass_they_do_not_attend(method: str) -> None:
    event = _event()
    allocation = solve(event, method=method, work_limit=5, seed=0)
    # Two seats a pass: early and all in A, late and all in B. Costs: early 0, late 1 (B second),
    # all 1 + 0. The passes not attended cost nothing (as if everyone came: early and late would
    # each need a seat in a full pass, 10,000 apiece).
    assert allocation.status == "optimal" and allocation.objective == allocation.bound == 2
    assert _seats(allocation) == {
        ("early", "P1"): "A", ("all", "P1"): "A", ("late", "P2"): "B", ("all", "P2"): "B",
    }  # fmt: skip
    assert {(u.attendee, u.pass_, u.code) for u in allocation.unseated} == {
        ("early", "P2", "not-attending"),
        ("late", "P1", "not-attending"),
    }
    assert check(event, allocation).ok
    assert allocation.solver is not None and allocation.solver.method == method


def test_listing_every_pass_is_the_same_as_listing_none() -> None:
    data = event_dict()
    data["attendees"][0]["available"] = ["P2", "P1"]
    listed, plain = Event.model_validate(data), Event.model_validate(event_dict())
    assert solve(listed, work_limit=5).to_json(timings=False) == solve(plain, work_limit=5).to_json(
        timings=False
    )


def test_max_sessions_counts_within_the_passes_attended() -> None:
    # 'all' attends P2 only and wants at most 2 sessions: one seat, and no cost for P1.
    event = _event(
        attendees=[{"id": "all", "choices": ["B", "A"], "available": ["P2"], "max_sessions": 2}],
    )
    allocation = solve(event, method="cp-sat", work_limit=5)
    assert allocation.objective == 0 and _seats(allocation) == {("all", "P2"): "B"}
    assert check(event, allocation).ok


def test_the_checker_catches_a_seat_in_a_pass_not_attended_and_a_false_reason() -> None:
    event = _event()
    allocation = solve(event, work_limit=5)
    moved = tuple(x for x in allocation.assignments if x.attendee != "all" or x.pass_ != "P2")
    moved += (Assignment("early", "P2", "B", "R1"),)
    unseated = tuple(
        Unseated(attendee="late", pass_="P1", code="full", reason="made up")
        if (u.attendee, u.pass_) == ("late", "P1")
        else u
        for u in allocation.unseated
        if (u.attendee, u.pass_) != ("early", "P2")
    ) + (Unseated(attendee="all", pass_="P2", code="not-attending", reason="made up"),)
    report = check(event, allocation.model_copy(update={"assignments": moved, "unseated": unseated}))
    assert "attendee 'early' is seated in pass 'P2', which they do not attend" in report.violations
    assert "attendee 'late' is unseated in pass 'P1' with reason 'full'" in report.violations
    assert "attendee 'all' is unseated in pass 'P2' with reason 'not-attending'" in report.violations


@pytest.mark.parametrize(
    ("person", "field", "says"),
    [
        ({"available": ["P1"], "fixed": {"P2": "B"}}, "fixed", "pinned to seminar 'B' in pass 'P2', a pass"),
        ({"available": ["P3"]}, "available", "unknown pass 'P3'"),
        ({"available": ["P1", "P1"]}, "available", "pass 'P1' is listed twice"),
        ({"available": []}, "available", "at least 1 item"),
        ({"available": "P1"}, "available", "valid tuple"),
    ],
)
def test_bad_availability_is_an_input_error_naming_the_attendee_and_field(
    person: dict, field: str, says: str
) -> None:
    data = event_dict()
    data["attendees"][0].update(person)
    with pytest.raises(InputError) as error:
        Event.model_validate(data)
    (problem,) = error.value.problems
    assert problem.record == "attendees[0] 'x1'" and problem.field == field, problem
    assert says in problem.message, problem


def test_a_required_seminar_run_only_in_passes_not_attended_is_a_named_conflict() -> None:
    event = _event(attendees=[{"id": "early", "choices": ["A"], "available": ["P1"], "required": ["B"]}])
    allocation = solve(event, work_limit=5)
    assert allocation.status == "infeasible"
    assert any("must be given seminar 'B'" in c for c in allocation.conflicts), allocation.conflicts
    assert check(event, allocation).ok


def test_admission_seats_an_admitted_attendee_in_the_passes_they_attend() -> None:
    data = queue_event([("p1", None, "2020-04-01"), ("p2", None, "2020-04-02"), ("p3", None, "2020-04-03")])
    data["seat_limit"] = 2
    data["attendees"][0]["available"] = ["P2"]
    event = Event.model_validate(data)
    allocation = solve(event, work_limit=5)
    assert allocation.status == "optimal" and check(event, allocation).ok
    assert _seats(allocation) == {("p1", "P2"): "A", ("p2", "P1"): "A", ("p2", "P2"): "B"}
    assert [w.attendee for w in allocation.waitlist] == ["p3"]


def test_explanations_and_the_report_say_not_attending() -> None:
    event = _event()
    allocation = solve(event, work_limit=5)
    late = explain(event, allocation, "late")
    assert late.passes[0].attending is False and late.passes[0].better == ()
    assert "pass P1: not attending" in late.to_text()
    seen = overview(event, allocation)
    assert [(c.code, c.count) for c in seen.unseated] == [("not-attending", 2)]
    assert "seated in every pass they attend" in {f.words for f in seen.figures}
    assert "they do not attend that pass" in render_report(event, allocation)


def test_admission_counts_seats_per_pass_attended() -> None:
    # Two seats a pass, four registrants: two come for P1 only, two for P2 only. All fit.
    people = [
        ("a", None, "2020-04-01"),
        ("b", None, "2020-04-02"),
        ("c", None, "2020-04-03"),
        ("d", None, "2020-04-04"),
    ]
    data = queue_event(people, registration_deadline="2020-04-30")
    data["rooms"] = [{"id": "R1", "capacity": 1, "features": ["step-free"]}, {"id": "R2", "capacity": 1}]
    for person, passes in zip(data["attendees"], (["P1"], ["P1"], ["P2"], ["P2"]), strict=True):
        person["available"] = passes
    event = Event.model_validate(data)
    allocation = solve(event, work_limit=5)
    assert allocation.status == "optimal" and check(event, allocation).ok
    assert allocation.waitlist == () and len(allocation.assignments) == 4
