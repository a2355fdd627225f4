"""How to solve: one frozen, validated bundle of settings for every method and every entry point.

``solve``, ``resolve``, explanations, ``compare_objectives`` and the command
line all take a :class:`SolveOptions`; ``solve()``'s keyword arguments build one.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date
from numbers import Real
from typing import Any, Literal, get_args

from seatalloc.errors import InputError, Problem
from seatalloc.schema.records import ObjectiveKind
from seatalloc.solve.budget import Budget
from seatalloc.solve.registry import method_names

#: ``progress(stage, seconds, best, bound)``: called on every better allocation or bound.
Progress = Callable[[str, float, float | None, float | None], None]
#: ``auto`` and the registered methods (a test keeps them equal to the registry).
MethodName = Literal["auto", "cp-sat", "flow", "lns"]

#: Seconds a solve may take when neither a time limit nor a work limit is given.
DEFAULT_TIME_LIMIT = 30.0
#: CP-SAT's seed is a 32-bit signed integer; numpy's must not be negative.
MAX_SEED = 2**31 - 1
MAX_WORKERS = 256


@dataclass(frozen=True)
class SolveOptions:
    """Settings of a solve, checked once when made.

    Parameters
    ----------
    time_limit
        Seconds the whole call may take, from entry to the returned
        allocation: compiling, every method and stage, handing seats out and,
        for an infeasible event, naming the conflicts. Default: 30 s, or no
        wall-clock limit when ``work_limit`` is given.
    work_limit
        Deterministic work the search may do (CP-SAT's deterministic time
        plus the flow method's counted steps, in units of one to two seconds
        on a current machine). A solve stopped by its work limit stops at the
        same point on any machine, however fast or busy: the same event,
        seed and work limit give the same allocation.
    seed
        Seed of the search, of the lottery and of the hand-out within groups
        of interchangeable attendees (0 to 2**31 - 1).
    workers
        CP-SAT search workers. One (the default) is deterministic; with a
        work limit, several workers interleave their search deterministically.
    objective
        Objective kind overriding the event's: ``rank-cost``, ``rank-maximal``,
        ``leximin``, ``minimax-rank``, ``organisation-parity`` or ``value-leximin``.
    as_of
        For an event that admits attendees: solve as of the end of this day.
    progress
        Called as ``progress(stage, seconds, best, bound)`` on every better
        allocation or bound.
    method
        ``auto`` (default) or a registered method: ``cp-sat``, ``flow``
        (see :mod:`seatalloc.solve.methods`).
    cancel
        A :class:`threading.Event` another thread may set to stop the call:
        it then returns the best allocation found so far, as after Ctrl-C
        on the command line (``solver.stop == "interrupted"``).
    started
        The moment (``time.perf_counter()``) the time limit counts from;
        default: when the call starts. ``seatalloc solve`` passes the moment
        it started reading the event, so its limit bounds the whole command.

    Raises
    ------
    InputError
        A setting is out of range, naming every one that is.
    """

    time_limit: float | None = None
    work_limit: float | None = None
    seed: int = 0
    workers: int = 1
    objective: ObjectiveKind | None = None
    as_of: date | None = None
    progress: Progress | None = None
    method: MethodName = "auto"
    cancel: threading.Event | None = None
    started: float | None = None

    def __post_init__(self) -> None:
        problems: list[Problem] = []

        def bad(field: str, message: str) -> None:
            problems.append(Problem("options", field, f"{message}, got {getattr(self, field)!r}"))

        for field in ("time_limit", "work_limit"):
            value = getattr(self, field)
            if value is not None and not (_number(value) and math.isfinite(value) and value > 0):
                bad(field, "must be a finite number > 0")
        if not _integer(self.seed) or not 0 <= self.seed <= MAX_SEED:
            bad("seed", f"must be an integer from 0 to {MAX_SEED}")
        if not _integer(self.workers) or not 1 <= self.workers <= MAX_WORKERS:
            bad("workers", f"must be an integer from 1 to {MAX_WORKERS}")
        if self.objective is not None and self.objective not in get_args(ObjectiveKind):
            known = ", ".join(get_args(ObjectiveKind))
            problems.append(
                Problem("options", "objective", f"unknown objective {self.objective!r}: use {known}")
            )
        if self.as_of is not None and not isinstance(self.as_of, date):
            bad("as_of", "must be a date")
        if self.progress is not None and not callable(self.progress):
            bad("progress", "must be callable")
        if self.cancel is not None and not isinstance(self.cancel, threading.Event):
            bad("cancel", "must be a threading.Event")
        if self.started is not None and not (_number(self.started) and math.isfinite(self.started)):
            bad("started", "must be a moment of time.perf_counter()")
        methods = ", ".join(("auto", *method_names()))
        if self.method not in ("auto", *method_names()):
            problems.append(Problem("options", "method", f"unknown method {self.method!r}: use {methods}"))
        if problems:
            raise InputError(problems, "solve options")

    def budget(self) -> Budget:
        """The budget of a call with these options: its limits, and its ``cancel`` event."""
        return Budget(self.seconds, self.work_limit, cancel=self.cancel, started=self.started)

    @property
    def seconds(self) -> float | None:
        """The wall-clock limit of the call: ``time_limit``, 30 s by default, None with only a work limit."""
        if self.time_limit is None and self.work_limit is None:
            return DEFAULT_TIME_LIMIT
        return self.time_limit

    def with_(self, **changes: Any) -> SolveOptions:
        """Return a copy with ``changes`` (None values are left out), validated again."""
        given = {k: v for k, v in changes.items() if v is not None}
        unknown = set(given) - {f.name for f in fields(self)}
        if unknown:
            raise TypeError(f"unknown solve option(s): {', '.join(sorted(unknown))}")
        return replace(self, **given) if given else self


def make_options(options: SolveOptions | None, **settings: Any) -> SolveOptions:
    """Return ``options`` (default settings when None) with the ``settings`` that are not None, its
    ``progress`` hearing only of better allocations and bounds (:class:`Steady`)."""
    if options is not None and not isinstance(options, SolveOptions):
        raise InputError([Problem("options", "", f"must be SolveOptions, got {type(options).__name__}")])
    made = (options or SolveOptions()).with_(**settings)
    return replace(made, progress=Steady(made.progress)) if made.progress is not None else made


class Steady:
    """A ``progress`` that hears, per stage, only of a better allocation or a higher bound than it
    heard before, with the best bound so far: the methods ``auto`` runs in turn each report their
    own (a flow's first allocation after a better greedy one, a method without a bound as 0)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.best: dict[str, float] = {}
        self.bound: dict[str, float] = {}

    def __call__(self, stage: str, seconds: float, best: float | None, bound: float | None) -> None:
        better = best is not None and (stage not in self.best or best < self.best[stage])
        higher = bound is not None and (stage not in self.bound or bound > self.bound[stage])
        if not (better or higher):
            return
        if better:
            assert best is not None
            self.best[stage] = best
        if higher:
            assert bound is not None
            self.bound[stage] = bound
        self.progress(stage, seconds, best if better else None, self.bound.get(stage))


def _number(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
