"""seatalloc: assign attendees to parallel sessions, optimally and with proof.

>>> import seatalloc
>>> event = seatalloc.Event.from_json("examples/jamlikhetskonferensen-2019.json")  # doctest: +SKIP
>>> allocation = seatalloc.solve(event, time_limit=10, seed=1)  # doctest: +SKIP
>>> seatalloc.check(event, allocation).ok  # doctest: +SKIP
True
"""

from seatalloc.check import CheckReport, check
from seatalloc.errors import InputError, Problem, SeatallocError
from seatalloc.explain import audit, compare_objectives, explain
from seatalloc.schema import Allocation, Event
from seatalloc.solve import SolveOptions, resolve, solve

__all__ = [
    "Allocation",
    "CheckReport",
    "Event",
    "InputError",
    "Problem",
    "SeatallocError",
    "SolveOptions",
    "audit",
    "check",
    "compare_objectives",
    "explain",
    "resolve",
    "solve",
]
__version__ = "0.1.0"
