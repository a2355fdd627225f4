"""Reasons for attendee-passes without a seat, one constructed case per reason."""

from __future__ import annotations

from helpers import event_dict
from seatalloc import Event, check, solve


def _codes(data) -> dict[tuple[str, str], tuple[str, str]]:
    event = Event.model_validate(data)
    allocation = solve(event, work_limit=10, seed=0)
    assert check(event, allocation).ok
    return {(u.attendee, u.pass_): (u.code, u.reason) for u in allocation.unseated}


def test_cheaper_unseated_when_a_seat_costs_more_than_no_seat() -> None:
    # x3 ranked only B: B in one pass is free; the other pass offers only A, unranked (50 > 10).
    data = event_dict(objective={"rank_costs": [0], "unranked_cost": 50, "unseated_cost": 10})
    data["attendees"] = [data["attendees"][2]]
    codes = _codes(data)
    assert len(codes) == 1
    [(code, reason)] = codes.values()
    assert code == "cheaper-unseated"
    assert "seminar 'A'" in reason and "costs 50" in reason and "against 10" in reason


def test_quota_is_named_when_it_blocks_the_only_free_seat() -> None:
    # o1 may have nobody in B in P1; x1 cannot go to A in P1 (full with x2 and x3 pinned).
    data = event_dict(quotas=[{"organisation": "o1", "max_per_session": 0, "seminar": "B", "pass": "P1"}])
    data["attendees"][2]["fixed"] = {"P1": "A"}
    codes = _codes(data)
    code, reason = codes[("x1", "P1")]
    assert code == "full"
    assert "organisation quota reached: B" in reason


def test_reasons_never_name_other_attendees() -> None:
    rooms = [{"id": "R1", "capacity": 1, "features": ["step-free"]}, {"id": "R2", "capacity": 0}]
    codes = _codes(event_dict(rooms=rooms))
    assert len(codes) == 4
    for attendee, _ in codes:
        others = {"x1", "x2", "x3"} - {attendee}
        assert not any(
            o in codes[(attendee, p)][1] for o in others for p in ("P1", "P2") if (attendee, p) in codes
        )
