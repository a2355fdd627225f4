"""One budget for a whole call: a wall-clock deadline and a deterministic work limit.

Every stage of a solve takes what it may spend from one :class:`Budget`
made at the call's entry; nothing gets the whole time limit again. Work is
counted, not timed: CP-SAT's deterministic time plus the flow method's
steps (see :func:`flow_work`), so a solve stopped by its work limit stops at
the same point on any machine. Time splits between stages follow the work
when there is a work limit, so they too do not depend on the machine's speed.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from seatalloc.errors import SeatallocError

Stop = Literal["time-limit", "work-limit", "interrupted"]

#: Work units of one arc in one min-cost flow solve: about a second per million arcs (measured here:
#: 1.1 s per million arcs), the scale of CP-SAT's deterministic time.
WORK_PER_FLOW_ARC = 1e-6
#: Seconds per work unit assumed until the budget has seen some work done (measured here: 1.1).
PACE = 1.5
#: Work seen before the observed pace is trusted.
PACE_AFTER = 0.05
#: A step expected to take at most this many seconds starts whenever the budget is not spent.
QUICK = 0.05


def said(stop: Stop | None) -> str:
    """Return why a search stopped, in words."""
    return {
        "time-limit": "the time limit ran out",
        "work-limit": "the work limit ran out",
        "interrupted": "the search was interrupted",
        None: "the search ended",
    }[stop]


class OutOfTime(SeatallocError):
    """The budget ran out while work that cannot stop halfway was under way (raised by ``check``)."""

    def __init__(self, stop: Stop):
        self.stop = stop
        super().__init__(said(stop))


class Budget:
    """What a call may still spend: seconds until a deadline, and units of work.

    Parameters
    ----------
    seconds
        Wall-clock seconds from now; None for no deadline.
    work
        Deterministic work units; None for no work limit.
    parent
        The budget this one is a share of: its work counts there too, and its ``cancel``.
    cancel
        An event another thread may set to stop the call (``stop()`` says "interrupted").
    started
        The moment (``time.perf_counter()``) the seconds count from; default: now.
    """

    def __init__(
        self,
        seconds: float | None,
        work: float | None,
        *,
        parent: Budget | None = None,
        cancel: threading.Event | None = None,
        started: float | None = None,
    ):
        self.started = time.perf_counter() if started is None else started
        self.cancel: threading.Event | None = cancel if parent is None else parent.cancel
        self.parent = parent
        self._paused = 0.0  # the root's: seconds spent loading libraries, which the deadlines skip
        self.deadline = math.inf if seconds is None else self.started + seconds
        self.work_limit = work
        self.work = 0.0
        self._timed = [0.0, 0.0]  # the root's: work and seconds of the steps whose time was measured

    def _root(self) -> Budget:
        root = self
        while root.parent is not None:
            root = root.parent
        return root

    @property
    def deadline(self) -> float:
        """The moment (``time.perf_counter()``) the seconds run out: later by every second spent
        :meth:`paused`, in this budget and every budget of the same call."""
        return self._deadline + self._root()._paused

    @deadline.setter
    def deadline(self, moment: float) -> None:
        self._deadline = moment - self._root()._paused

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Stop the clock of the whole call while the block runs: for loading a solver library on
        first use (OR-Tools' CP-SAT and pandas, about a second), which is not the event's work and
        which no time limit can shorten (a 5-attendee event on a busy machine ran out of its 5 s
        while CP-SAT loaded)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self._root()._paused += time.perf_counter() - started

    def seconds_left(self) -> float:
        """Seconds until the deadline (``inf`` without one); never below 0."""
        return max(0.0, self.deadline - time.perf_counter())

    def work_left(self) -> float:
        """Work units left (``inf`` without a work limit); never below 0."""
        return math.inf if self.work_limit is None else max(0.0, self.work_limit - self.work)

    def elapsed(self) -> float:
        """Seconds since the budget was made."""
        return time.perf_counter() - self.started

    def spend(self, work: float, seconds: float | None = None) -> None:
        """Count ``work`` units done (in ``seconds``, when measured), here and in every budget
        this one was taken from."""
        self.work += work
        if self.parent is not None:
            self.parent.spend(work, seconds)
        elif seconds is not None:
            self._timed[0] += work
            self._timed[1] += seconds

    def pace(self) -> float:
        """Seconds per work unit on this machine, as seen so far (:data:`PACE` until then)."""
        work, seconds = self._root()._timed
        return seconds / work if work >= PACE_AFTER else PACE

    def affords(self, work: float) -> bool:
        """Whether ``work`` units, at the pace seen so far, fit in the seconds left (or are quick)."""
        expected = self.pace() * work
        return self.stop() is None and (expected <= QUICK or expected <= self.seconds_left())

    def stop(self) -> Stop | None:
        """Why nothing more may be done: the caller cancelled, the work limit is used up, or the
        deadline passed; else None."""
        if self.cancelled():
            return "interrupted"
        if self.work_left() <= 0:
            return "work-limit"
        if self.seconds_left() <= 0:
            return "time-limit"
        return None

    def cancelled(self) -> bool:
        """Whether the caller cancelled the call (its ``cancel`` event is set)."""
        return self.cancel is not None and self.cancel.is_set()

    def check(self) -> None:
        """Raise :class:`OutOfTime` when the budget is spent."""
        stop = self.stop()
        if stop is not None:
            raise OutOfTime(stop)

    def share(self, fraction: float) -> Budget:
        """Return a budget of ``fraction`` of what is left, that charges its work here too.

        With a work limit the fraction is of the work left and the deadline
        stays (so the split does not depend on the machine's speed); without
        one, it is of the seconds left.
        """
        if self.work_limit is not None:
            child = Budget(None, fraction * self.work_left(), parent=self)
            child.deadline = self.deadline
            return child
        seconds = None if math.isinf(self.deadline) else fraction * self.seconds_left()
        return Budget(seconds, None, parent=self)

    def before(self, seconds: float) -> Budget:
        """Return a budget with what is left, ending ``seconds`` earlier (work to do after it)."""
        child = Budget(None, None if self.work_limit is None else self.work_left(), parent=self)
        child.deadline = self.deadline - seconds
        return child


def flow_work(arcs: int) -> float:
    """Return the work units of one min-cost flow solve over ``arcs`` arcs."""
    return WORK_PER_FLOW_ARC * arcs
