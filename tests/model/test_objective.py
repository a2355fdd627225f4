"""Objectives: rank-cost, rank-maximal and leximin on a hand-computable event, and the
lexicographic guarantees between them on random events."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from seatalloc import Allocation, Event, InputError, check, solve
from strategies import events

# One pass, three rooms of one seat. x and y rank A, B, C; z ranks B, C, A. Costs 0, 2, 3.
# Two first choices force y into C (third): profile (2, 0, 1), cost 3.
# Nobody third means one first and two seconds: profile (1, 2, 0), cost 4.
HAND = {
    "passes": [{"id": "P1"}],
    "rooms": [{"id": f"R{s}", "capacity": 1} for s in "ABC"],
    "seminars": [{"id": s} for s in "ABC"],
    "sessions": [{"seminar": s, "pass": "P1", "room": f"R{s}"} for s in "ABC"],
    "attendees": [
        {"id": "x", "choices": ["A", "B", "C"]},
        {"id": "y", "choices": ["A", "B", "C"]},
        {"id": "z", "choices": ["B", "C", "A"]},
    ],
    "objective": {"rank_costs": [0, 2, 3]},
}


def _profile(allocation: Allocation) -> tuple[int, ...]:
    counts = allocation.stats.choice_counts
    return tuple(counts[k] for k in ("1", "2", "3"))


@pytest.mark.parametrize(
    ("kind", "profile", "cost"),
    [
        ("rank-cost", (2, 0, 1), 3),
        ("rank-maximal", (2, 0, 1), 3),
        ("leximin", (1, 2, 0), 4),
        ("minimax-rank", (1, 2, 0), 4),
    ],
)
def test_hand_computed_profiles(kind: str, profile: tuple[int, ...], cost: int) -> None:
    event = Event.model_validate(HAND)
    allocation = solve(event, objective=kind, work_limit=10)
    assert check(event, allocation).ok
    assert allocation.status == "optimal"
    assert _profile(allocation) == profile
    assert allocation.objective == allocation.bound == cost
    assert allocation.stages[-1].name == "rank cost"
    assert all(stage.status == "optimal" for stage in allocation.stages)


def test_objective_kind_can_come_from_the_event() -> None:
    event = Event.model_validate({**HAND, "objective": {"rank_costs": [0, 2, 3], "kind": "leximin"}})
    assert _profile(solve(event, work_limit=10)) == (1, 2, 0)


def test_unknown_objective_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown objective 'fairest'"):
        solve(Event.model_validate(HAND), objective="fairest")


def _levels(allocation: Allocation) -> list[int]:
    """Counts best first: choice 1, 2, ..., unranked, unseated."""
    return list(allocation.stats.choice_counts.values())


def _rank_maximal_key(allocation: Allocation) -> tuple[int, ...]:
    levels = _levels(allocation)
    return (*levels[:-2], -levels[-1])


def _leximin_key(allocation: Allocation) -> tuple[int, ...]:
    levels = _levels(allocation)
    return tuple(-c for c in reversed(levels[1:]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events())
def test_lexicographic_objectives_are_never_beaten(event: Event) -> None:
    kinds = ("rank-cost", "rank-maximal", "leximin", "organisation-parity")
    results = {kind: solve(event, objective=kind, work_limit=10) for kind in kinds}
    if results["rank-cost"].status == "infeasible":
        assert {a.status for a in results.values()} == {"infeasible"}
        return
    for allocation in results.values():
        assert allocation.status == "optimal"
        assert check(event, allocation).ok
    rank_maximal = _rank_maximal_key(results["rank-maximal"])
    leximin = _leximin_key(results["leximin"])
    for other in results.values():
        assert rank_maximal >= _rank_maximal_key(other)
        assert leximin >= _leximin_key(other)
    assert results["rank-cost"].objective <= min(a.objective for a in results.values())
    fairest = _smallest_share(event, results["organisation-parity"])
    assert all(fairest >= _smallest_share(event, a) - 1e-6 for a in results.values())


def _smallest_share(event: Event, allocation: Allocation) -> float:
    """The smallest share, over organisations, of attendee-passes given a first choice."""
    first = {a.id: a.choices[:1] for a in event.attendees}
    got: dict[str, int] = {}
    size: dict[str, int] = {}
    for a in event.attendees:
        if a.organisation is not None:
            size[a.organisation] = size.get(a.organisation, 0) + len(event.passes)
            got.setdefault(a.organisation, 0)
    org = {a.id: a.organisation for a in event.attendees}
    for x in allocation.assignments:
        if org[x.attendee] is not None and x.seminar in first[x.attendee]:
            got[org[x.attendee]] += 1
    return min((got[o] / size[o] for o in size), default=1.0)
