"""The optimiser plans sessions: rooms, passes, runs, optional seminars, attendance bounds."""

from __future__ import annotations

import pytest

from helpers import event_dict
from seatalloc import Event, check, solve
from seatalloc.schema import Allocation


def plan(allocation: Allocation) -> set[tuple[str, str, str]]:
    return {(s.seminar, s.pass_, s.room) for s in allocation.stats.sessions}


def solved(data: dict) -> tuple[Event, Allocation]:
    event = Event.model_validate(data)
    allocation = solve(event, work_limit=10)
    assert allocation.status == "optimal", allocation.conflicts
    report = check(event, allocation)
    assert report.ok, report.violations
    return event, allocation


def popular(n_a: int, n_b: int, **changes) -> dict:
    """One pass, rooms of 5 and 2, seminars A and B with rooms left open."""
    people = [{"id": f"a{i}", "choices": ["A", "B"]} for i in range(n_a)]
    people += [{"id": f"b{i}", "choices": ["B", "A"]} for i in range(n_b)]
    data = event_dict(
        passes=[{"id": "P1"}],
        rooms=[{"id": "big", "capacity": 5}, {"id": "small", "capacity": 2}],
        sessions=[{"seminar": "A", "pass": "P1"}, {"seminar": "B", "pass": "P1"}],
        attendees=people,
        objective={"rank_costs": [0, 1], "unseated_cost": 100},
    )
    data.update(changes)
    return data


@pytest.mark.parametrize(("n_a", "n_b", "big"), [(5, 2, "A"), (2, 5, "B")])
def test_the_most_requested_seminar_gets_the_big_room(n_a, n_b, big) -> None:
    _, allocation = solved(popular(n_a, n_b))
    assert (big, "P1", "big") in plan(allocation)
    assert allocation.objective == 0


def test_the_optimiser_chooses_the_pass_when_it_is_open() -> None:
    # A and B both in room R1; only one may run per pass, so one goes to each pass.
    data = event_dict(
        rooms=[{"id": "R1", "capacity": 3}],
        sessions=[{"seminar": "A", "room": "R1"}, {"seminar": "B", "room": "R1"}],
        attendees=[{"id": f"x{i}", "choices": ["A", "B"]} for i in range(3)],
    )
    _, allocation = solved(data)
    assert {(s, r) for s, _, r in plan(allocation)} == {("A", "R1"), ("B", "R1")}
    assert {p for _, p, _ in plan(allocation)} == {"P1", "P2"}
    assert allocation.objective == 3 * (0 + 1)


def test_runs_plan_extra_sessions_anywhere() -> None:
    data = event_dict(
        rooms=[{"id": "R1", "capacity": 2}, {"id": "R2", "capacity": 2}],
        seminars=[{"id": "A", "runs": 2}, {"id": "B", "runs": 2}],
        sessions=[],
        attendees=[{"id": f"x{i}", "choices": ["A", "B"]} for i in range(4)],
    )
    _, allocation = solved(data)
    runs = [s for s, _, _ in plan(allocation)]
    assert sorted(runs) == ["A", "A", "B", "B"]
    assert allocation.stats.choice_counts["1"] == 4  # everyone gets A once and B once


def test_an_optional_seminar_below_its_minimum_is_cancelled_and_its_people_seated_elsewhere() -> None:
    # B is in the room of 2, so it can never reach its minimum of 3.
    data = popular(5, 1, seminars=[{"id": "A"}, {"id": "B", "optional": True, "min_attendance": 3}])
    data["sessions"][1]["room"] = "small"
    _, allocation = solved(data)
    assert {s for s, _, _ in plan(allocation)} == {"A"}
    assert len(allocation.assignments) == 5  # the room of 5 seats five; one waits
    assert len(allocation.unseated) == 1


def test_a_required_seminar_below_its_minimum_is_infeasible_with_the_rule_named() -> None:
    data = popular(2, 0, seminars=[{"id": "A"}, {"id": "B", "min_attendance": 3}])  # 2 people
    allocation = solve(Event.model_validate(data), work_limit=30)
    assert allocation.status == "infeasible"
    assert any("seats at least 3" in c for c in allocation.conflicts)


def test_max_attendance_caps_a_session_below_its_room() -> None:
    data = popular(5, 0, seminars=[{"id": "A", "max_attendance": 3}, {"id": "B"}])
    _, allocation = solved(data)
    seated = {s.seminar: s.seated for s in allocation.stats.sessions}
    assert seated["A"] == 3 and seated["B"] == 2


def test_same_pass_groups_run_together() -> None:
    data = event_dict(
        rooms=[{"id": "R1", "capacity": 3}, {"id": "R2", "capacity": 3}],
        sessions=[{"seminar": "A", "room": "R1"}, {"seminar": "B", "room": "R2"}],
        same_pass=[["A", "B"]],
        attendees=[{"id": "x1", "choices": ["A", "B"]}],
    )
    _, allocation = solved(data)
    assert len({p for _, p, _ in plan(allocation)}) == 1


def test_needs_pick_a_room_that_has_them() -> None:
    data = popular(1, 0)
    data["rooms"] = [{"id": "big", "capacity": 5}, {"id": "small", "capacity": 2, "features": ["loop"]}]
    data["attendees"][0]["needs"] = ["loop"]
    _, allocation = solved(data)
    (seat,) = allocation.assignments
    assert (seat.seminar, seat.room) == ("A", "small")


def test_checker_catches_a_broken_plan() -> None:
    event, allocation = solved(popular(5, 2))
    sessions = list(allocation.stats.sessions)
    twice = sessions[0].model_copy(update={"seminar": sessions[1].seminar})
    broken = allocation.model_copy(
        update={"stats": allocation.stats.model_copy(update={"sessions": (twice, sessions[1])})}
    )
    text = "\n".join(check(event, broken).violations)
    assert "runs 2 session(s), not 1" in text
    assert "runs 0 session(s), not 1" in text


def test_runs_fewer_than_listed_is_an_input_error() -> None:
    with pytest.raises(
        ValueError, match=r"seminars\[0\] 'A'\.runs: 2 sessions are listed for it, more than its 1 runs"
    ):
        Event.model_validate(event_dict(seminars=[{"id": "A", "runs": 1}, {"id": "B"}]))


def test_a_listed_session_can_have_its_own_minimum() -> None:
    # B's session needs 5: three of A's people would have to take their second choice (cost 3)
    # where cancelling B costs 2 (B's two people in A): B is optional, so it is cancelled.
    data = popular(4, 2, seminars=[{"id": "A"}, {"id": "B", "optional": True}])
    data["sessions"][1]["min_attendance"] = 5
    data["rooms"][0]["capacity"] = 6
    _, allocation = solved(data)
    assert {s for s, _, _ in plan(allocation)} == {"A"}
    without = popular(4, 2, seminars=[{"id": "A"}, {"id": "B", "optional": True}])
    without["rooms"][0]["capacity"] = 6
    assert {s for s, _, _ in plan(solved(without)[1])} == {"A", "B"}


def test_a_shared_limit_caps_several_seminars_together() -> None:
    data = popular(4, 2, shared_limits=[{"name": "Supervisor 1", "seminars": ["A", "B"], "max_seats": 3}])
    event, allocation = solved(data)
    assert len(allocation.assignments) == 3 and len(allocation.unseated) == 3
    waiting = allocation.unseated[0].attendee
    extra = type(allocation.assignments[0])(waiting, "P1", "B", "small")
    broken = allocation.model_copy(update={"assignments": (*allocation.assignments, extra)})
    assert any("Supervisor 1: 4 seated, shared limit 3" in v for v in check(event, broken).violations)


def test_different_pass_keeps_seminars_apart_and_min_sessions_fills_a_pass() -> None:
    data = event_dict(
        rooms=[{"id": "R1", "capacity": 3}, {"id": "R2", "capacity": 3}],
        sessions=[{"seminar": "A", "room": "R1"}, {"seminar": "B", "room": "R2"}],
        different_pass=[["A", "B"]],
        attendees=[{"id": "x1", "choices": ["A", "B"]}],
    )
    _, allocation = solved(data)
    assert len({p for _, p, _ in plan(allocation)}) == 2
    data["passes"][0]["min_sessions"] = 2  # both in P1: contradicts different_pass
    stuck = solve(Event.model_validate(data), work_limit=30)
    assert stuck.status == "infeasible"
    assert any("at least 2 sessions run in pass 'P1'" in c for c in stuck.conflicts)


def test_required_seminars_are_given() -> None:
    data = popular(3, 0)
    data["attendees"][0]["required"] = ["B"]  # wants A, must have B
    event, allocation = solved(data)
    seat = {x.attendee: x.seminar for x in allocation.assignments}
    assert seat["a0"] == "B"
    broken = allocation.model_copy(
        update={
            "assignments": tuple(
                x if x.attendee != "a0" else type(x)("a0", "P1", "A", x.room) for x in allocation.assignments
            )
        }
    )
    assert any("must be given seminar 'B'" in v for v in check(event, broken).violations)
