"""Moving between venues between passes: allowed, penalised per move, or forbidden."""

from __future__ import annotations

import pytest

from helpers import event_dict
from seatalloc import Event, SeatallocError, check, solve


def two_venues(**changes) -> Event:
    """P1: A in venue X, B in Y. P2: C in X, D in Y. One attendee ranks A, D, B, C."""
    data = event_dict(
        rooms=[{"id": "X1", "venue": "X", "capacity": 2}, {"id": "Y1", "venue": "Y", "capacity": 2}],
        attendees=[{"id": "x", "choices": ["A", "D", "B", "C"]}],
        seminars=[{"id": s} for s in "ABCD"],
        sessions=[
            {"seminar": "A", "pass": "P1", "room": "X1"},
            {"seminar": "B", "pass": "P1", "room": "Y1"},
            {"seminar": "C", "pass": "P2", "room": "X1"},
            {"seminar": "D", "pass": "P2", "room": "Y1"},
        ],
        objective={"rank_costs": [0, 1, 4, 9]},
    )
    data.update(changes)
    return Event.model_validate(data)


def route(event: Event) -> tuple[str, ...]:
    allocation = solve(event, work_limit=30)
    assert allocation.status == "optimal"
    assert check(event, allocation).ok
    return tuple(x.seminar for x in sorted(allocation.assignments, key=lambda x: x.pass_))


@pytest.mark.parametrize(
    ("rules", "expected", "objective"),
    [
        (None, ("A", "D"), 0 + 1),  # moves freely: first and second choice
        ({"rule": "penalised", "cost": 3}, ("A", "D"), 0 + 1 + 3),  # cheaper than staying: 9 or 5
        ({"rule": "penalised", "cost": 5}, ("B", "D"), 4 + 1),  # staying in Y is cheaper now
        ({"rule": "forbidden"}, ("B", "D"), 4 + 1),
    ],
)
def test_venue_rules(rules, expected, objective) -> None:
    event = two_venues(**({"venue_moves": rules} if rules else {}))
    assert route(event) == expected
    assert solve(event, work_limit=30).objective == objective


def test_attendees_with_a_protected_need_never_change_venue() -> None:
    data = {"venue_moves": {"rule": "allowed", "forbidden_for": ["step-free"]}}
    event = two_venues(**data)
    assert route(event) == ("A", "D")  # no need: moves
    people = [{"id": "x", "choices": ["A", "D", "B", "C"], "needs": ["step-free"]}]
    rooms = [
        {"id": "X1", "venue": "X", "capacity": 2, "features": ["step-free"]},
        {"id": "Y1", "venue": "Y", "capacity": 2, "features": ["step-free"]},
    ]
    assert route(two_venues(attendees=people, rooms=rooms, **data)) == ("B", "D")


def test_checker_finds_a_forbidden_move_and_prices_penalised_ones() -> None:
    free = two_venues()
    moving = solve(free, work_limit=30)
    forbidden = two_venues(venue_moves={"rule": "forbidden"})
    assert "changes venue between 'P1' and 'P2' (forbidden)" in "\n".join(check(forbidden, moving).violations)
    penalised = two_venues(venue_moves={"rule": "penalised", "cost": 5})
    assert check(penalised, moving).objective == 1 + 5


def test_the_optimiser_chooses_rooms_and_keeps_people_in_one_venue() -> None:
    # Rooms open: A, B in P1 and C, D in P2 may go to either venue; with moves forbidden the
    # plan puts A and D (the attendee's first two choices) in the same venue.
    event = two_venues(
        sessions=[{"seminar": s, "pass": p} for s, p in (("A", "P1"), ("B", "P1"), ("C", "P2"), ("D", "P2"))],
        venue_moves={"rule": "forbidden"},
    )
    assert route(event) == ("A", "D")
    assert solve(event, work_limit=30).objective == 0 + 1


def test_venue_rules_with_admission_are_refused_clearly() -> None:
    with pytest.raises(SeatallocError, match="venue_moves is not supported yet together with"):
        solve(two_venues(venue_moves={"rule": "forbidden"}, seat_limit=1), work_limit=30)
