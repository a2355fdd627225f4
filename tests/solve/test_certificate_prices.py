"""The prices a solve states as its certificate prove, by the checker's own reckoning, exactly the
bound the solver computed for them; an allocation carries them and ``seatalloc check`` agrees."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from benchmarks.generate import quotas
from seatalloc import Event, SolveOptions, check, solve
from seatalloc.check.certificate import certify
from seatalloc.compile import compile_event
from seatalloc.solve.budget import Budget
from seatalloc.solve.certificate import certificate_of
from strategies import events, written_families_only

bound = importlib.import_module("seatalloc.solve.methods.lns.bound")
linear = importlib.import_module("seatalloc.solve.methods.lns.linear")

MIXES = st.sampled_from(
    [
        {"max_share": 40},
        {"max_share": 50, "min_session_size": 3},
        {"max_seats": 1},
        {"max_seats": 2, "min_session_size": 2},
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events(min_attendees=4, max_attendees=10), MIXES, st.integers(2, 5), st.integers(0, 2**31))
def test_the_bound_of_the_stated_prices_is_what_the_checker_recomputes(
    drawn: Event, mix: dict, limited: int, seed: int
) -> None:
    event = written_families_only(drawn, mix, limited)
    data = compile_event(event)
    assume(linear.covered(data) and len(data.arcs.type) > 0)
    built = bound.type_lp(data, Budget(None, None))
    lp = bound.solve_lp(data, built, Budget(None, None))
    assert lp is not None and lp.prices is not None
    rng = np.random.default_rng(seed)
    # the LP's duals, then prices drawn at random on every row (only those across attendees count)
    # (small enough per row that the bound they prove stays above 0)
    largest = np.abs(built.lp[5]).max(axis=1).toarray().ravel()
    scale = 0.05 * np.abs(built.lp[0]).max(initial=1.0) / np.maximum(largest, 1.0)
    drawn_prices = -rng.exponential(1.0, len(built.labels.kind)) * scale
    for prices in (lp.prices, bound.priced(data, built, drawn_prices, or_none=False)):
        assert prices is not None
        certificate = certificate_of(event, data, prices)
        assert certify(event, certificate) == (prices.bound, [])
    assert lp.bound >= lp.prices.bound
    optimum = solve(event, SolveOptions(method="cp-sat", work_limit=200))
    if optimum.status == "optimal":  # the LP's own prices, near the optimum: never above it
        assert lp.prices.bound <= check(event, optimum).objective


def test_a_solve_carries_prices_that_check_certifies() -> None:
    event = Event.model_validate(quotas(300, seed=4))
    allocation = solve(event, SolveOptions(method="lns", work_limit=20, seed=1))
    assert allocation.certificate is not None
    assert allocation.certificate.sessions or allocation.certificate.quotas  # the quotas are priced
    report = check(event, allocation)
    assert report.ok, report.violations[:3]
    assert report.certified == allocation.certificate.bound
    assert allocation.certificate.bound <= allocation.bound <= allocation.objective


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events(min_attendees=4, max_attendees=10), MIXES, st.integers(2, 5))
def test_an_allocation_cp_sat_proved_carries_prices_check_certifies(
    drawn: Event, mix: dict, limited: int
) -> None:
    event = written_families_only(drawn, mix, limited)
    assume(linear.covered(compile_event(event)))
    allocation = solve(event, SolveOptions(method="cp-sat", work_limit=200))
    assume(allocation.objective is not None)
    assert allocation.certificate is not None  # (CP-SAT states no prices: the LP's duals after it)
    report = check(event, allocation)
    assert report.ok, report.violations[:3]
    assert report.certified == allocation.certificate.bound <= allocation.bound <= allocation.objective


def test_s1_proven_by_a_flow_is_certified_at_its_optimum() -> None:
    s1 = Event.from_json(Path(__file__).parents[2] / "examples" / "jamlikhetskonferensen-2019.json")
    allocation = solve(s1, work_limit=30)
    assert allocation.status == "optimal" and allocation.solver.method.startswith("flow")
    assert check(s1, allocation).certified == allocation.objective  # the LP of S1 is tight
