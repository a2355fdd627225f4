"""Fairness between groups: the organisation-parity objective and parity rules."""

from __future__ import annotations

import pytest

from seatalloc import Event, check, solve

# One pass; A seats 2, B seats 1. o1's two attendees want only A; o2's wants A, then B.
# Cheapest: both o1 in A, o2 in B (cost 1), but then o2's first-choice share is 0.
# Fairest: one o1 and o2 in A, the other o1 unranked in B (cost 5); shares 1/2 and 1.
PEOPLE = [
    {"id": "p1", "organisation": "o1", "choices": ["A"], "attributes": {"gender": "f"}},
    {"id": "p2", "organisation": "o1", "choices": ["A"], "attributes": {"gender": "f"}},
    {"id": "p3", "organisation": "o2", "choices": ["A", "B"], "attributes": {"gender": "m"}},
]
BASE = {
    "passes": [{"id": "P1"}],
    "rooms": [{"id": "RA", "capacity": 2}, {"id": "RB", "capacity": 1}],
    "seminars": [{"id": "A"}, {"id": "B"}],
    "sessions": [{"seminar": "A", "pass": "P1", "room": "RA"}, {"seminar": "B", "pass": "P1", "room": "RB"}],
    "organisations": [{"id": "o1"}, {"id": "o2"}],
    "attendees": PEOPLE,
}


def _event(**changes) -> Event:
    objective = {"rank_costs": [0, 1], "unranked_cost": 5, **changes.pop("objective", {})}
    return Event.model_validate({**BASE, "objective": objective, **changes})


def _in_a(allocation) -> set[str]:
    return {x.attendee for x in allocation.assignments if x.seminar == "A"}


def test_rank_cost_leaves_the_small_organisation_without_its_first_choice() -> None:
    event = _event()
    allocation = solve(event, work_limit=10)
    assert check(event, allocation).ok
    assert allocation.objective == 1 and _in_a(allocation) == {"p1", "p2"}


@pytest.mark.parametrize("attribute", ["organisation", "gender"])
def test_parity_objective_raises_the_smallest_share(attribute: str) -> None:
    event = _event(objective={"kind": "organisation-parity", "parity_attribute": attribute})
    allocation = solve(event, work_limit=10)
    assert check(event, allocation).ok
    assert allocation.status == "optimal"
    assert "p3" in _in_a(allocation) and len(_in_a(allocation)) == 2
    assert allocation.stages[0].value == 500_000  # o1 (or f) gets half its first choices
    assert allocation.objective == 5


def test_parity_rule_caps_the_gap_between_groups() -> None:
    event = _event(parity=[{"attribute": "organisation", "max_gap": 50}])
    allocation = solve(event, work_limit=10)
    assert check(event, allocation).ok
    assert "p3" in _in_a(allocation) and allocation.objective == 5


def test_checker_reports_a_parity_gap() -> None:
    cheap = solve(_event(), work_limit=10)
    strict = _event(parity=[{"attribute": "gender", "max_gap": 50}])
    violations = check(strict, cheap).violations
    assert any("parity on 'gender': 'f' 100.0% and 'm' 0.0% differ by 100.00 points" in v for v in violations)
