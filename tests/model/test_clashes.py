"""Clashes: groups of seminars of which an attendee takes at most one, whatever the passes (two
sections of one course, courses at overlapping times), and the value-leximin objective."""

from __future__ import annotations

import pytest

from seatalloc import Event, InputError, check, explain, solve
from seatalloc.schema.allocation import Assignment

# Three passes with one seminar each; A and B clash. Each attendee takes at most two seminars and
# scores A 60, B 40, C 10 (unseated and unranked cost 60: a value is the sum of the scores).
# A, B and C have two seats each.


def _event(**changes: object) -> Event:
    data: dict = {
        "passes": [{"id": "P1"}, {"id": "P2"}, {"id": "P3"}],
        "rooms": [{"id": "R1", "capacity": 2}, {"id": "R2", "capacity": 2}, {"id": "R3", "capacity": 2}],
        "seminars": [{"id": "A"}, {"id": "B"}, {"id": "C"}],
        "sessions": [
            {"seminar": "A", "pass": "P1", "room": "R1"},
            {"seminar": "B", "pass": "P2", "room": "R2"},
            {"seminar": "C", "pass": "P3", "room": "R3"},
        ],
        "clashes": [["A", "B"]],
        "attendees": [
            {"id": f"a{i}", "scores": {"A": 60, "B": 40, "C": 10}, "max_sessions": 2} for i in range(3)
        ],
        "objective": {"unseated_cost": 60, "unranked_cost": 60},
    }
    return Event.model_validate(data | changes)


def _values(allocation) -> list[int]:
    """Each attendee's value (the sum of their scores), lowest first."""
    score = {"A": 60, "B": 40, "C": 10}
    got = {f"a{i}": 0 for i in range(3)}
    for x in allocation.assignments:
        got[x.attendee] += score[x.seminar]
    return sorted(got.values())


def test_nobody_takes_two_seminars_of_a_clash_and_the_total_is_the_hand_computed_optimum() -> None:
    # Without the clash everyone would take A or B, and C: two A+C (70) and one B+C (50) = 190, but
    # C has two seats. With it: A+C, A+C, B (70, 70, 40) or A+C, A, B+C (70, 60, 50): 180 either way.
    event = _event()
    allocation = solve(event, work_limit=10, seed=0)
    assert allocation.status == "optimal"
    assert sum(_values(allocation)) == 180
    assert allocation.objective == 3 * 2 * 60 - 180  # the cost: every place starts at 60
    taken: dict[str, set[str]] = {}
    for x in allocation.assignments:
        taken.setdefault(x.attendee, set()).add(x.seminar)
    assert all(not {"A", "B"} <= seminars for seminars in taken.values())
    assert check(event, allocation).ok
    without = solve(_event(clashes=[]), work_limit=10, seed=0)
    assert sum(_values(without)) > 180  # the clash is what costs: A+B was allowed before


def test_value_leximin_raises_the_worst_off_then_the_next() -> None:
    # The total value leaves someone at 40 or 50 (70, 70, 40 or 70, 60, 50); the leximin is
    # 50, 60, 70: at most two can have A, so the third has B (with C, 50 at most), and then
    # the best for the second-worst is 60 (A alone: C's second seat went with B).
    event = _event(objective={"kind": "value-leximin", "unseated_cost": 60, "unranked_cost": 60})
    allocation = solve(event, work_limit=10, seed=0)
    assert allocation.status == "optimal"
    assert _values(allocation) == [50, 60, 70]
    assert allocation.stages[0].name.startswith("most with value at least")
    assert allocation.stages[-1].name == "rank cost" and allocation.stages[-1].value == 180
    assert all(stage.status == "optimal" for stage in allocation.stages)
    assert check(event, allocation).ok
    assert _values(solve(_event(), work_limit=10, seed=0)) != [50, 60, 70]  # rank-cost does not


def test_the_checker_catches_two_seminars_of_a_clash() -> None:
    event = _event()
    allocation = solve(event, work_limit=10, seed=0)
    holder = next(x.attendee for x in allocation.assignments if x.seminar == "A")
    seats = tuple(x for x in allocation.assignments if not (x.attendee == holder and x.pass_ == "P2"))
    seats += (Assignment(holder, "P2", "B", "R2"),)
    report = check(event, allocation.model_copy(update={"assignments": seats}))
    assert f"attendee {holder!r} has ['A', 'B'], of which they may take one (clashes)" in report.violations


def test_an_explanation_names_the_clash() -> None:
    # a0 gets B (first choice, cost 0) in P2; A in P1 would cost 1 but clashes with B.
    event = _event(attendees=[{"id": "a0", "choices": ["B", "A"]}])
    allocation = solve(event, work_limit=10, seed=0)
    assert [(x.pass_, x.seminar) for x in allocation.assignments] == [("P2", "B")]
    (a,) = [alt for alt in explain(event, allocation, "a0").passes[0].better if alt.seminar == "A"]
    assert a.code == "clash"
    assert a.reason == "you have B in pass P2, and it clashes with it: one attendee takes at most one of A, B"


@pytest.mark.parametrize("method", ["flow", "lns"])
def test_the_flow_and_large_neighbourhood_methods_decline_clashes_and_value_leximin(method: str) -> None:
    with pytest.raises(InputError, match="clashes"):
        solve(_event(), method=method)
    kind = {"kind": "value-leximin", "unseated_cost": 60, "unranked_cost": 60}
    with pytest.raises(InputError, match="value-leximin"):
        solve(_event(clashes=[], objective=kind), method=method)


@pytest.mark.parametrize(
    ("clashes", "says"),
    [
        ([["A", "Z"]], "unknown seminar 'Z'"),
        ([["A"]], "two or more distinct seminars"),
        ([["A", "A"]], "two or more distinct seminars"),
    ],
)
def test_bad_clashes_are_input_errors_naming_the_record(clashes: list, says: str) -> None:
    with pytest.raises(InputError) as error:
        _event(clashes=clashes)
    assert any(p.record == "clashes[0]" and says in p.message for p in error.value.problems)


def test_clashes_with_seminars_in_parts_are_an_input_error() -> None:
    with pytest.raises(InputError, match="cannot yet be combined"):
        _event(seminars=[{"id": "A", "parts": 2}, {"id": "B"}, {"id": "C"}], attendees=[])
