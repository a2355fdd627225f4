"""The type model's LP written from the arrays is the LP read back from the CP-SAT model: the same
optimum for the event's costs and for random ones, on drawn events of every family it writes."""

from __future__ import annotations

import importlib

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from benchmarks.generate import county
from seatalloc import Event
from seatalloc.compile import compile_event
from seatalloc.solve.budget import Budget
from strategies import events, written_families_only

bound = importlib.import_module("seatalloc.solve.methods.lns.bound")
highs = importlib.import_module("seatalloc.solve.methods.lns.highs")
linear = importlib.import_module("seatalloc.solve.methods.lns.linear")


def _optimum(lp: tuple, objective: np.ndarray, worker: object) -> float:
    vertex, _ = highs.solve_vertex(objective, *lp[1:], iterations=100_000, seconds=60, worker=worker)
    assert vertex is not None
    return float(objective @ vertex.x)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    events(min_attendees=4, max_attendees=10),
    st.sampled_from(
        [
            {"max_share": 40},
            {"max_share": 60, "min_session_size": 3},
            {"max_seats": 1},
            {"max_seats": 2, "min_session_size": 2},
            {"min_distinct": 2},
            {"max_share": 50, "max_seats": 2, "min_distinct": 2, "min_session_size": 2},
        ]
    ),
    st.integers(2, 5),
    st.integers(0, 2**31),
)
def test_the_lp_written_from_the_arrays_is_the_lp_read_back(
    drawn: Event, mix: dict, limited: int, seed: int
) -> None:
    event = written_families_only(drawn, mix, limited)
    data = compile_event(event)
    assume(linear.covered(data) and len(data.arcs.type) > 0)
    written = linear.linear_lp(data)
    assert written is not None
    lp, constant, _labels = written
    back = bound.type_lp(data, Budget(None, None), read_back=True)
    assert constant == back.constant
    n = len(data.arcs.type)
    rng = np.random.default_rng(seed)
    with highs.Worker() as worker:
        for k in range(3):  # the event's costs, then random ones on the seats (the same polytope)
            costs = lp[0][:n] if k == 0 else rng.integers(-9, 10, n).astype(float)
            mine = np.zeros(len(lp[1]))
            mine[:n] = costs
            theirs = np.zeros(len(back.lp[1]))
            theirs[back.seats] = costs
            assert abs(_optimum(lp, mine, worker) - _optimum(back.lp, theirs, worker)) < 1e-6 * max(
                1.0, float(np.abs(costs).sum())
            )


def test_a_county_mix_is_written_without_the_model_and_a_pin_is_not() -> None:
    drawn = county(120, seed=2)
    data = compile_event(Event.model_validate(drawn))
    assert linear.covered(data)
    built = bound.type_lp(data, Budget(None, None))
    assert (built.seats == np.arange(len(data.arcs.type))).all() and built.lp[5].shape[0] > 0
    first = drawn["sessions"][0]
    drawn["attendees"][0]["fixed"] = {first["pass"]: first["seminar"]}
    assert not linear.covered(compile_event(Event.model_validate(drawn)))
