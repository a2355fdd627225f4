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
from seatalloc.explain.report import render_report
from seatalloc.io.importer import import_event
from seatalloc.io.rosters import write_rosters
from seatalloc.schema import Allocation, Event
from seatalloc.schema.records import ObjectiveKind
from seatalloc.solve import SolveOptions, resolve, solve
from seatalloc.solve.options import MethodName, Progress
from seatalloc.version import __version__ as __version__

__all__ = [
    "Allocation",
    "CheckReport",
    "Event",
    "InputError",
    "MethodName",
    "ObjectiveKind",
    "Problem",
    "Progress",
    "SeatallocError",
    "SolveOptions",
    "audit",
    "check",
    "compare_objectives",
    "explain",
    "import_event",
    "render_report",
    "resolve",
    "solve",
    "write_rosters",
]
