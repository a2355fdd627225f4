"""The solver: optimal allocations that pass the checker, on hand-computable events."""

from __future__ import annotations

import pytest

from helpers import event_dict
from seatalloc import Event, SeatallocError, check, solve


def _solve(**changes):
    event = Event.model_validate(event_dict(**changes))
    allocation = solve(event, work_limit=10, seed=1)
    return event, allocation


def _seats(allocation) -> dict[tuple[str, str], tuple[str, str]]:
    return {(x.attendee, x.pass_): (x.seminar, x.room) for x in allocation.assignments}


def test_s1_example_is_proven_optimal_and_valid(s1_path) -> None:
    event = Event.from_json(s1_path)
    allocation = solve(event, work_limit=30, seed=0)
    report = check(event, allocation)
    assert report.ok, report.violations
    assert allocation.status == "optimal"
    assert allocation.objective == allocation.bound == report.objective
    assert allocation.gap == 0.0
    assert len(allocation.assignments) + len(allocation.unseated) == 2 * len(event.attendees)


def test_tiny_event_has_the_hand_computed_optimum() -> None:
    # x2 needs step-free: only R1, so A in P1 and B in P2 (cost 1). x1 gets A then B (cost 1).
    # x3 ranked only B: B in one pass and an unranked seminar in the other (cost 100).
    event, allocation = _solve()
    assert check(event, allocation).ok
    assert allocation.status == "optimal"
    assert allocation.objective == 102
    seats = _seats(allocation)
    assert seats[("x2", "P1")] == ("A", "R1") and seats[("x2", "P2")] == ("B", "R1")
    assert allocation.stats.choice_counts == {"1": 3, "2": 2, "unranked": 1, "unseated": 0}


def test_session_quota_keeps_an_organisation_apart() -> None:
    event, allocation = _solve(quotas=[{"organisation": "o1", "max_per_session": 1}])
    assert check(event, allocation).ok
    seats = _seats(allocation)
    for p in ("P1", "P2"):
        assert seats[("x1", p)] != seats[("x2", p)]
    # x1 is pushed to B then A (cost 1), x3 to A then B (cost 100), x2 as before (cost 1).
    assert allocation.objective == 102


def test_session_quota_filtered_by_seminar_and_pass() -> None:
    quota = {"organisation": "o1", "max_per_session": 0, "seminar": "A", "pass": "P1"}
    event, allocation = _solve(quotas=[quota])
    assert check(event, allocation).ok
    seats = _seats(allocation)
    assert all(seats.get((x, "P1"), ("", ""))[0] != "A" for x in ("x1", "x2"))


def test_max_seats_leaves_the_rest_of_the_organisation_unseated_in_every_pass() -> None:
    event, allocation = _solve(quotas=[{"organisation": "o1", "max_seats": 1}])
    assert check(event, allocation).ok
    left_out = {u.attendee for u in allocation.unseated if u.code == "max-seats"}
    assert len(left_out) == 1 and left_out <= {"x1", "x2"}
    assert sum(u.attendee in left_out for u in allocation.unseated) == 2


def test_needs_nobody_can_meet_leave_the_attendee_unseated_with_the_reason() -> None:
    data = event_dict()
    data["attendees"][0]["needs"] = ["hearing-loop"]
    event = Event.model_validate(data)
    allocation = solve(event, work_limit=10)
    assert check(event, allocation).ok
    codes = {(u.attendee, u.pass_): u.code for u in allocation.unseated}
    assert codes == {("x1", "P1"): "needs", ("x1", "P2"): "needs"}


def test_a_pass_where_none_of_the_attendee_s_seminars_runs_is_no_session_not_needs() -> None:
    # C runs in P1 only, in a room without a step-free entrance; only listed seminars are given
    data = event_dict(objective={"only_listed": True})
    data["seminars"].append({"id": "C"})
    data["rooms"].append({"id": "R3", "capacity": 5})
    data["sessions"].append({"seminar": "C", "pass": "P1", "room": "R3"})
    data["attendees"] += [
        {"id": "x4", "choices": ["C"]},  # plain: its arcs are built at once
        {"id": "x5", "choices": ["C"], "needs": ["step-free"]},
    ]
    event = Event.model_validate(data)
    allocation = solve(event, work_limit=10)
    assert check(event, allocation).ok
    codes = {(u.attendee, u.pass_): u.code for u in allocation.unseated if u.attendee in ("x4", "x5")}
    assert codes == {("x4", "P2"): "no-session", ("x5", "P1"): "needs", ("x5", "P2"): "no-session"}


def test_excluded_seminar_is_never_given() -> None:
    data = event_dict()
    data["attendees"][0]["excluded"] = ["A"]
    event = Event.model_validate(data)
    allocation = solve(event, work_limit=10)
    assert check(event, allocation).ok
    assert all(x.seminar != "A" for x in allocation.assignments if x.attendee == "x1")
    assert [u.code for u in allocation.unseated if u.attendee == "x1"] == ["no-session"]


def test_pinned_attendee_gets_the_pinned_seminar() -> None:
    data = event_dict()
    data["attendees"][2]["fixed"] = {"P1": "A"}
    event = Event.model_validate(data)
    allocation = solve(event, work_limit=10)
    assert check(event, allocation).ok
    assert _seats(allocation)[("x3", "P1")] == ("A", "R1")


def test_overfilled_pins_are_infeasible_with_the_conflict_named() -> None:
    data = event_dict()
    for person in data["attendees"]:
        person["fixed"] = {"P1": "B"}
        person.pop("needs", None)
    event = Event.model_validate(data)
    allocation = solve(event, work_limit=10)
    assert allocation.status == "infeasible"
    assert allocation.objective is None
    assert any("room 'R2' seats 1" in c for c in allocation.conflicts)
    assert any("pinned to seminar 'B' in pass 'P1'" in c for c in allocation.conflicts)
    # Nobody is dropped: every attendee-pass is listed.
    assert len(allocation.unseated) == 6


def test_pinned_groups_in_a_conflict_are_said_once_with_their_count() -> None:
    data = event_dict()
    for i, person in enumerate(data["attendees"]):  # all pinned to a room of one
        person["fixed"] = {"P1": "B"}
        person.pop("needs", None)
        person["choices"] = [["A", "B"], ["B", "A"], ["A"]][i]  # three types, each of one
    allocation = solve(Event.model_validate(data), work_limit=10)
    pins = [c for c in allocation.conflicts if "pinned to seminar 'B'" in c]
    # two of the three suffice, said as such (issue 31: "2 attendee(s) pinned" read as if 2 were)
    assert pins == ["2 of the 3 attendee(s) pinned to seminar 'B' in pass 'P1'"]
    assert allocation.relaxation in (
        ("room 'R2' (seminar 'B', pass 'P1') needs 2 more seats",),
        ("unpin 2 of the 3 attendee(s) pinned to seminar 'B' in pass 'P1'",),
    )
    assert {u.code for u in allocation.unseated} == {"infeasible"}


def test_full_sessions_are_the_reason_when_seats_run_out() -> None:
    rooms = [{"id": "R1", "capacity": 1, "features": ["step-free"]}, {"id": "R2", "capacity": 1}]
    event, allocation = _solve(rooms=rooms)
    assert check(event, allocation).ok
    assert len(allocation.unseated) == 2  # 3 attendees, 2 seats per pass
    assert {u.code for u in allocation.unseated} == {"full"}
    assert all("full: " in u.reason for u in allocation.unseated)


def test_same_seed_gives_the_identical_allocation(s1_path) -> None:
    event = Event.from_json(s1_path)
    first = solve(event, work_limit=30, seed=7)
    second = solve(event, work_limit=30, seed=7)
    assert first.assignments == second.assignments
    assert first.unseated == second.unseated


def test_solve_does_not_mutate_the_event() -> None:
    event = Event.model_validate(event_dict())
    before = event.model_dump()
    solve(event, work_limit=10)
    assert event.model_dump() == before


def test_attendees_without_organisation_are_allocated() -> None:
    data = event_dict(organisations=[])
    for person in data["attendees"]:
        person.pop("organisation")
    event = Event.model_validate(data)
    allocation = solve(event, work_limit=10)
    assert check(event, allocation).ok and allocation.objective == 102


@pytest.mark.parametrize(("option", "value"), [("time_limit", 0), ("workers", 0)])
def test_invalid_solver_options_raise(option: str, value: float) -> None:
    event = Event.model_validate(event_dict())
    with pytest.raises(SeatallocError, match=option):
        solve(event, **{option: value}, work_limit=30)


def test_a_solve_stopped_early_is_honest_about_it(s1_path) -> None:
    event = Event.from_json(s1_path)
    allocation = solve(event, time_limit=1e-4, objective="leximin")
    assert allocation.status in ("unknown", "feasible")
    assert check(event, allocation).ok
    assert len(allocation.assignments) + len(allocation.unseated) == 2 * len(event.attendees)
    if allocation.status == "unknown":
        assert allocation.objective is None and {u.code for u in allocation.unseated} == {"no-solution"}
    else:
        assert allocation.bound is None or allocation.bound <= allocation.objective


def test_infeasible_event_gets_the_smallest_fix() -> None:
    data = event_dict()
    for person in data["attendees"]:
        person["fixed"] = {"P1": "B"}
        person.pop("needs", None)
    allocation = solve(Event.model_validate(data), work_limit=10)
    # Three pinned to B in P1, whose room R2 seats 1: two more seats (cheaper than unpinning two).
    assert allocation.relaxation == ("room 'R2' (seminar 'B', pass 'P1') needs 2 more seats",)


def test_pins_in_a_room_without_the_needed_feature_are_released() -> None:
    data = event_dict()
    data["attendees"][0].update(needs=["step-free"], fixed={"P1": "B"})  # B runs in R2, not step-free
    allocation = solve(Event.model_validate(data), work_limit=10)
    assert allocation.status == "infeasible"
    [fix] = allocation.relaxation
    assert fix == (
        "unpin the 1 attendee(s) pinned to seminar 'B' in pass 'P1', whose room lacks a feature they need"
    )
