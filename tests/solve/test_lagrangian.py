"""The Lagrangian bound: never above the optimum, whatever the prices, on every rule family; the
LP's own prices prove the LP's value with it; a hand-computed case reaches its optimum."""

from __future__ import annotations

import importlib
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from benchmarks.generate import quotas
from seatalloc import Event, solve
from seatalloc.compile import compile_event
from seatalloc.solve.budget import Budget
from strategies import admission_events, events

bound = importlib.import_module("seatalloc.solve.methods.lns.bound")
lagrangian = importlib.import_module("seatalloc.solve.methods.lns.lagrangian")


def _built(event: Event):  # type: ignore[no-untyped-def]
    data = compile_event(event)
    built = bound.type_lp(data, Budget(None, None))
    return data, built, bound.split_of(data, built)


def test_two_attendees_for_one_seat_are_priced_to_the_optimum() -> None:
    # A (one seat) and B in one pass; a ranks A then B (cost 0, 1), b ranks A only; unseated 10.
    # The optimum is 1 (a in B). At A's price p, relative to staying unseated, a pays
    # min(p - 10, 1 - 10, 0) and b min(p - 10, 0): L(p) = 20 + both - p, 0 at p = 0 and 1 (the
    # optimum) for p from 1 to 10.
    event = Event.model_validate(
        {
            "passes": [{"id": "P1"}],
            "rooms": [{"id": "R", "capacity": 1}, {"id": "S", "capacity": 5}],
            "seminars": [{"id": "A"}, {"id": "B"}],
            "sessions": [
                {"seminar": "A", "pass": "P1", "room": "R"},
                {"seminar": "B", "pass": "P1", "room": "S"},
            ],
            "attendees": [{"id": "a", "choices": ["A", "B"]}, {"id": "b", "choices": ["A"]}],
            "objective": {"unseated_cost": 10, "only_listed": True, "rank_costs": [0, 1]},
        }
    )
    data, built, split = _built(event)
    assert lagrangian.value_at(np.zeros(built.lp[5].shape[0]), built.lp, split, built.constant) == 0
    found = bound.lagrangian_bound(data, built, Budget(None, 1.0))
    assert found is not None and found.bound == 1 == solve(event, method="cp-sat").objective


def test_a_type_never_takes_one_seminar_twice_at_any_price() -> None:
    # Seminar A runs in both passes and is the attendee's only choice: unpriced, the best choice per
    # pass would seat them in A twice (cost 0, bound 0); with the rule a type keeps, once (10).
    event = Event.model_validate(
        {
            "passes": [{"id": "P1"}, {"id": "P2"}],
            "rooms": [{"id": "R", "capacity": 5}],
            "seminars": [{"id": "A"}],
            "sessions": [{"seminar": "A", "pass": p, "room": "R"} for p in ("P1", "P2")],
            "attendees": [{"id": "a", "choices": ["A"]}],
            "objective": {"unseated_cost": 10, "only_listed": True},
        }
    )
    data, built, split = _built(event)
    zero = np.zeros(built.lp[5].shape[0])
    assert lagrangian.value_at(zero, built.lp, split, built.constant) == pytest.approx(10)
    assert solve(event, method="cp-sat").objective == 10


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(events(max_attendees=8), events(venues=True), admission_events().map(lambda pair: pair[0])),
    st.integers(0, 2**31),
)
def test_the_lagrangian_bound_is_never_above_the_optimum_at_any_prices(event: Event, seed: int) -> None:
    assume(event.objective.kind == "rank-cost")
    assume(all(m.parts == 1 for m in event.seminars) and not event.clashes)
    exact = solve(event, method="cp-sat", work_limit=10, seed=0)
    assume(exact.status == "optimal")
    data, built, split = _built(event)
    lp = built.lp
    rng = np.random.default_rng(seed)
    # any prices of the right signs prove a bound: random ones, and the ascent's
    scale = float(np.abs(lp[0]).max(initial=1.0))
    for _ in range(3):
        y = rng.normal(0, scale, lp[5].shape[0]) * (rng.random(lp[5].shape[0]) < 0.5)
        assert lagrangian.value_at(y, lp, split, built.constant) <= exact.objective + 1e-6 * scale
    found = bound.lagrangian_bound(data, built, Budget(None, 0.2))
    assert found is None or found.bound <= exact.objective


def test_the_lp_prices_prove_the_lp_value_and_the_ascent_nearly_does() -> None:
    drawn = quotas(150, seed=3)
    drawn["objective"]["unseated_cost"] = 1000  # (the quotas force most of the cost)
    event = Event.model_validate(drawn)
    data, built, split = _built(event)
    lp = bound.solve_lp(data, built, Budget(None, 20.0))
    assert lp is not None and lp.solved
    found = bound.lagrangian_bound(data, built, Budget(None, 2.0))
    assert found is not None
    assert found.bound <= lp.bound
    assert found.bound >= 0.9 * lp.bound
    duals = bound._highs(built.lp, Budget(None, 20.0), None)[0]
    value = lagrangian.value_at(duals, built.lp, split, built.constant)
    assert math.ceil(value - 1e-6) == lp.bound  # (the bound is the LP's value rounded up)
