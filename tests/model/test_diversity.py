"""Diversity within sessions: S4's workshop groups mix counties."""

from __future__ import annotations

from collections import Counter

import pytest

from seatalloc import Event, check, solve


def _event(rule: dict, counties: str = "UUUUOOOO", capacity: int = 4) -> Event:
    return Event.model_validate(
        {
            "passes": [{"id": "P1"}],
            "rooms": [{"id": "G1", "capacity": capacity}, {"id": "G2", "capacity": capacity}],
            "seminars": [{"id": "W"}],
            "sessions": [
                {"seminar": "W", "pass": "P1", "room": "G1"},
                {"seminar": "W", "pass": "P1", "room": "G2"},
            ],
            "attendees": [
                {"id": f"a{i}", "choices": ["W"], "attributes": {"county": c}} for i, c in enumerate(counties)
            ],
            "diversity": [{"attribute": "county", **rule}],
        }
    )


def _mix(allocation) -> dict[str, Counter]:
    county = {f"a{i}": c for i, c in enumerate("UUUUOOOO")}
    rooms: dict[str, Counter] = {}
    for x in allocation.assignments:
        rooms.setdefault(x.room, Counter())[county[x.attendee]] += 1
    return rooms


@pytest.mark.parametrize("rule", [{"max_share": 50}, {"max_seats": 2}, {"min_distinct": 2, "max_seats": 3}])
def test_groups_mix_counties(rule: dict) -> None:
    event = _event(rule)
    allocation = solve(event, work_limit=10)
    assert check(event, allocation).ok
    assert allocation.status == "optimal" and not allocation.unseated
    for counts in _mix(allocation).values():
        assert set(counts) == {"U", "O"}


def test_a_group_from_one_county_is_refused_unless_small() -> None:
    strict = _event({"max_share": 50}, counties="UUU")
    allocation = solve(strict, work_limit=10)
    assert check(strict, allocation).ok
    assert not allocation.assignments  # one county only: no group may form
    assert {u.code for u in allocation.unseated} == {"fairness-rule"}

    lenient = _event({"max_share": 50, "min_session_size": 4}, counties="UUU")
    allocation = solve(lenient, work_limit=10)
    assert check(lenient, allocation).ok
    assert len(allocation.assignments) == 3  # groups under 4 are exempt


def test_checker_reports_a_one_county_group() -> None:
    free = _event({"max_share": 100})
    allocation = solve(free, work_limit=10)
    rooms = sorted(_mix(allocation))
    by_room = {r: [x for x in allocation.assignments if x.room == r] for r in rooms}
    # Rebuild an allocation with all of Uppsala in G1.
    rebuilt = [
        x.__class__(x.attendee, x.pass_, x.seminar, "G1" if int(x.attendee[1:]) < 4 else "G2")
        for xs in by_room.values()
        for x in xs
    ]
    broken = allocation.model_copy(update={"assignments": tuple(rebuilt)})
    violations = check(_event({"min_distinct": 2}), broken).violations
    assert any("room 'G1': 1 distinct county values, fewer than 2" in v for v in violations)
