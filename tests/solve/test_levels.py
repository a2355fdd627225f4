"""The quotas' levels: one price per organisation and pass that proves its members beyond its
quotas go without."""

from __future__ import annotations

import importlib

from seatalloc import Event
from seatalloc.compile import compile_event
from seatalloc.solve.budget import Budget

bound = importlib.import_module("seatalloc.solve.methods.lns.bound")
levels = importlib.import_module("seatalloc.solve.methods.lns.levels")


def _event(members: int) -> Event:
    """One pass, two sessions of 10 seats; ``members`` of organisation o want A (rank 0) or B
    (rank 1), o may have at most 2 in each session; unseated costs 100."""
    return Event.model_validate(
        {
            "passes": [{"id": "P"}],
            "rooms": [{"id": "r1", "capacity": 10}, {"id": "r2", "capacity": 10}],
            "seminars": [{"id": "A"}, {"id": "B"}],
            "sessions": [
                {"seminar": "A", "pass": "P", "room": "r1"},
                {"seminar": "B", "pass": "P", "room": "r2"},
            ],
            "organisations": [{"id": "o"}],
            "quotas": [{"organisation": "o", "max_per_session": 2}],
            "attendees": [
                {"id": f"a{i}", "choices": ["A", "B"] if i % 2 else ["B", "A"], "organisation": "o"}
                for i in range(members)
            ],
            "objective": {"rank_costs": [0, 1], "unseated_cost": 100},
        }
    )


def test_members_beyond_the_quotas_go_without_at_the_level_of_the_fifth_best_seat() -> None:
    # 6 members, 4 seats for them in all: at least 2 unseated (200) and 4 seated at cost 0 at best
    data = compile_event(_event(6))
    built = bound.type_lp(data, Budget(None, None))
    y = levels.quota_levels(data, built.lp, built.labels)
    assert sorted(y[y != 0].tolist()) == [-100.0, -100.0]  # the fifth best seat gains 100 - 0
    assert bound.priced(data, built, y * 0).bound == 200  # the levels beat no prices (0)
    assert bound._itinerary_value(data, built, y) == 200


def test_no_level_where_the_members_fit() -> None:
    data = compile_event(_event(4))
    built = bound.type_lp(data, Budget(None, None))
    assert not levels.quota_levels(data, built.lp, built.labels).any()
