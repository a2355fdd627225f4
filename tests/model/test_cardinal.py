"""Cardinal preferences (costs, scores) beside ranked choices, and registrations of several people."""

from __future__ import annotations

import pytest

from helpers import event_dict
from seatalloc import Event, check, solve


def one_pass(attendees: list[dict], **changes) -> Event:
    data = event_dict(
        passes=[{"id": "P1"}],
        rooms=[{"id": "R1", "capacity": 3}, {"id": "R2", "capacity": 3}],
        sessions=[{"seminar": "A", "pass": "P1", "room": "R1"}, {"seminar": "B", "pass": "P1", "room": "R2"}],
        attendees=attendees,
        **changes,
    )
    return Event.model_validate(data)


def test_costs_scores_and_ranks_mix_in_one_event() -> None:
    event = one_pass(
        [
            {"id": "ranked", "choices": ["A", "B"]},
            {"id": "priced", "costs": {"A": 7, "B": 2}},
            {"id": "scored", "scores": {"A": 10, "B": 4}},
        ],
        objective={"rank_costs": [0, 5]},
    )
    assert event.attendees[1].choices == ("B", "A")  # derived: cheapest first
    assert event.attendees[2].choices == ("A", "B")  # derived: highest score first
    assert [event.cost(event.attendees[2], s) for s in "AB"] == [0, 6]  # top score 10 minus score
    allocation = solve(event, work_limit=30)
    got = {x.attendee: x.seminar for x in allocation.assignments}
    assert got == {"ranked": "A", "priced": "B", "scored": "A"}
    assert allocation.objective == 0 + 2 + 0
    assert check(event, allocation).objective == allocation.objective


def test_only_listed_keeps_attendees_out_of_seminars_they_did_not_list() -> None:
    people = [{"id": f"x{i}", "costs": {"A": 0}} for i in range(4)]
    free = solve(one_pass(people, objective={"unranked_cost": 9}), work_limit=30)
    assert len(free.assignments) == 4  # the fourth goes to B at the unranked cost
    only = solve(one_pass(people, objective={"unranked_cost": 9, "only_listed": True}), work_limit=30)
    assert {x.seminar for x in only.assignments} == {"A"} and len(only.unseated) == 1
    assert check(one_pass(people, objective={"only_listed": True}), only).ok


def test_a_registration_of_several_people_fills_as_many_seats() -> None:
    event = one_pass([{"id": "family", "size": 3, "choices": ["A"]}, {"id": "solo", "choices": ["A", "B"]}])
    allocation = solve(event, work_limit=30)
    got = {x.attendee: x.seminar for x in allocation.assignments}
    assert got == {"family": "A", "solo": "B"}  # A seats 3: the family fills it
    assert {s.seminar: s.seated for s in allocation.stats.sessions} == {"A": 3, "B": 1}
    assert check(event, allocation).ok


def test_checker_counts_people_not_registrations() -> None:
    event = one_pass([{"id": "family", "size": 3, "choices": ["A"]}, {"id": "solo", "choices": ["A", "B"]}])
    allocation = solve(event, work_limit=30)
    moved = tuple(
        x if x.attendee != "solo" else type(x)("solo", "P1", "A", "R1") for x in allocation.assignments
    )
    text = "\n".join(check(event, allocation.model_copy(update={"assignments": moved})).violations)
    assert "room 'R1': 4 seated, capacity 3" in text


def test_minimum_attendance_counts_people() -> None:
    event = one_pass(
        [{"id": "pair", "size": 2, "choices": ["B", "A"]}, {"id": "solo", "choices": ["A", "B"]}],
        seminars=[{"id": "A"}, {"id": "B", "min_attendance": 2}],
    )
    allocation = solve(event, work_limit=30)
    assert {x.attendee: x.seminar for x in allocation.assignments}["pair"] == "B"
    assert check(event, allocation).ok


def test_costs_and_scores_together_are_an_input_error() -> None:
    with pytest.raises(ValueError, match=r"give 'costs' or 'scores', not both"):
        one_pass([{"id": "x", "costs": {"A": 1}, "scores": {"B": 2}}])


def test_unknown_seminar_in_costs_is_named() -> None:
    with pytest.raises(ValueError, match=r"attendees\[0\] 'x'\.costs: unknown seminar 'Z'"):
        one_pass([{"id": "x", "costs": {"Z": 1}}])


def party_event(**changes) -> Event:
    """Two colleagues registered together: one wants A, the other B; A seats only one more."""
    people = [
        {"id": "p1", "choices": ["A", "B"], "party": "team"},
        {"id": "p2", "choices": ["B", "A"], "party": "team"},
        {"id": "solo", "choices": ["A", "B"]},
    ]
    data = event_dict(
        rooms=[{"id": "R1", "capacity": 2}, {"id": "R2", "capacity": 3}],
        sessions=[
            {"seminar": "A", "pass": "P1", "room": "R1"},
            {"seminar": "B", "pass": "P1", "room": "R2"},
            {"seminar": "A", "pass": "P2", "room": "R2"},
            {"seminar": "B", "pass": "P2", "room": "R1"},
        ],
        attendees=people,
        objective={"rank_costs": [0, 1]},
        **changes,
    )
    return Event.model_validate(data)


def test_a_party_sits_together_in_every_pass() -> None:
    event = party_event()
    allocation = solve(event, work_limit=30)
    assert allocation.status == "optimal"
    assert check(event, allocation).ok
    seat = {(x.attendee, x.pass_): (x.seminar, x.room) for x in allocation.assignments}
    assert seat[("p1", "P1")] == seat[("p2", "P1")] and seat[("p1", "P2")] == seat[("p2", "P2")]


def test_a_party_can_name_the_passes_it_sits_together_in() -> None:
    event = party_event(parties=[{"id": "team", "passes": ["P2"]}])
    allocation = solve(event, work_limit=30)
    seat = {(x.attendee, x.pass_): x.seminar for x in allocation.assignments}
    assert seat[("p1", "P2")] == seat[("p2", "P2")]
    assert check(event, allocation).ok
    together = solve(party_event(), work_limit=30)
    assert allocation.objective <= together.objective


def test_checker_catches_a_split_party() -> None:
    event = party_event()
    allocation = solve(event, work_limit=30)
    split = tuple(
        x
        if (x.attendee, x.pass_) != ("p2", "P1")
        else type(x)("p2", "P1", *(("B", "R2") if x.seminar == "A" else ("A", "R1")))
        for x in allocation.assignments
    )
    text = "\n".join(check(event, allocation.model_copy(update={"assignments": split})).violations)
    assert "party 'team' is split in pass 'P1'" in text
