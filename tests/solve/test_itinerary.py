"""Each type's cheapest itinerary at priced costs: trying every combination (up to three passes)
finds what SciPy's assignment finds, for every type at once."""

from __future__ import annotations

import importlib

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from seatalloc import Event
from seatalloc.compile import compile_event
from strategies import events

itinerary = importlib.import_module("seatalloc.solve.itinerary")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events(min_attendees=3, max_attendees=10, max_passes=3), st.integers(0, 2**31), st.floats(0.1, 0.9))
def test_every_combination_is_the_assignment(event: Event, seed: int, below: float) -> None:
    data = compile_event(event)
    assume(len(data.arcs.type) > 0 and data.n_passes >= 2)
    rng = np.random.default_rng(seed)
    # seats worth taking (below 0) in a share of the arcs, often the same seminar in two passes
    n = len(data.arcs.type)
    reduced = np.where(rng.random(n) < below, -rng.integers(1, 20, n), 1.0)
    tried = itinerary.cheapest(data, reduced.astype(float))
    enumerated = itinerary.ENUMERATED
    itinerary.ENUMERATED = 0
    try:
        assigned = itinerary.cheapest(data, reduced.astype(float))
    finally:
        itinerary.ENUMERATED = enumerated
    np.testing.assert_allclose(tried, assigned)
    assert (tried <= 0).all()
