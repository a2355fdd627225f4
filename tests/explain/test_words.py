"""Every sentence true: what the summary, the report and the explanations say, on small events."""

from __future__ import annotations

from helpers import event_dict
from seatalloc import Event, SolveOptions, check, explain, solve
from seatalloc.explain.overview import overview
from seatalloc.schema import Assignment


def test_a_valid_allocation_without_a_proven_bound_does_not_claim_a_gap() -> None:
    event = Event.model_validate(event_dict())
    solved = solve(event, work_limit=5)
    unproven = solved.model_copy(update={"status": "feasible", "bound": None, "gap": None})
    verdict = overview(event, unproven).verdict
    assert "at most -" not in verdict and "is not known" in verdict and verdict.endswith("(feasible)")
    bounded = solved.model_copy(update={"status": "feasible", "gap": 0.125})
    assert "at most 12.50% above the best possible" in overview(event, bounded).verdict


def _one_pass(
    rooms: list[dict], seminars: list[dict], sessions: list[dict], attendees: list[dict], **more
) -> Event:
    return Event.model_validate(
        {"passes": [{"id": "P1"}], "rooms": rooms, "seminars": seminars, "sessions": sessions}
        | {"attendees": attendees}
        | more
    )


def _reasons(event: Event, allocation, attendee: str) -> dict[str, tuple[str, str]]:
    told = explain(event, allocation, attendee, options=SolveOptions(work_limit=10))
    return {a.seminar: (a.code, a.reason) for p in told.passes for a in p.better}


def test_a_seminar_full_at_its_max_attendance_says_places_not_the_rooms_seats() -> None:
    event = _one_pass(
        [{"id": "R1", "capacity": 3}, {"id": "R2", "capacity": 5}],
        [{"id": "A", "max_attendance": 2}, {"id": "B"}],
        [{"seminar": "A", "pass": "P1", "room": "R1"}, {"seminar": "B", "pass": "P1", "room": "R2"}],
        [{"id": f"x{i}", "choices": ["A", "B"]} for i in range(3)],
    )
    allocation = solve(event, work_limit=5)
    (left,) = [x.attendee for x in allocation.assignments if x.seminar == "B"]
    code, reason = _reasons(event, allocation, left)["A"]
    assert code == "full"
    assert reason == (
        "it was full: all 2 places (its max_attendance, in 3 seats) went to attendees who ranked it "
        "at least as high"
    )


def test_a_seat_a_mix_rule_blocks_is_said_to_be_the_mix_rule() -> None:
    counties = ["north", "north", "south", "south"]
    event = _one_pass(
        [{"id": "R1", "capacity": 5}, {"id": "R2", "capacity": 4}],
        [{"id": "A"}, {"id": "B"}],
        [{"seminar": "A", "pass": "P1", "room": "R1"}, {"seminar": "B", "pass": "P1", "room": "R2"}],
        [{"id": f"x{i}", "choices": ["A", "B"], "attributes": {"county": c}} for i, c in enumerate(counties)]
        + [{"id": "x9", "choices": ["A", "B"], "attributes": {"county": "north"}}],
        diversity=[{"attribute": "county", "max_seats": 2}],
    )
    allocation = solve(event, work_limit=5)
    in_b = [x.attendee for x in allocation.assignments if x.seminar == "B"]
    (left,) = in_b  # A holds two of each county
    code, reason = _reasons(event, allocation, left)["A"]
    assert code == "mix", reason
    assert "at most 2 of a session from one county" in reason and "0 more" not in reason


def test_a_seat_an_equally_good_allocation_gives_is_a_tie_not_a_cost_of_0() -> None:
    event = _one_pass(
        [{"id": "R1", "capacity": 2}, {"id": "R2", "capacity": 2}],
        [{"id": "A"}, {"id": "B"}],
        [{"seminar": "A", "pass": "P1", "room": "R1"}, {"seminar": "B", "pass": "P1", "room": "R2"}],
        [{"id": "x1", "choices": ["A", "B"]}, {"id": "x2", "choices": ["A", "B"]}],
        objective={"rank_costs": [0, 0]},  # A or B: the same to both
    )
    solved = solve(event, work_limit=5)
    split = (Assignment("x1", "P1", "A", "R1"), Assignment("x2", "P1", "B", "R2"))  # one optimum of many
    allocation = solved.model_copy(update={"assignments": split})
    assert check(event, allocation).ok and allocation.status == "optimal"
    code, reason = _reasons(event, allocation, "x2")["A"]
    assert code == "tie" and "0 more" not in reason
    assert reason == (
        "an allocation just as good gives you this seat: among equally good allocations, "
        "the tie-break gave it to others"
    )
