"""Guards around a solve: no allocation that the independent checker rejects is returned, and an
event that will not fit in memory is refused before the work starts, or its solve ends with an
allocation that says so, never a traceback."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable

from seatalloc.check import check
from seatalloc.compile.admission import AdmissionPlan
from seatalloc.errors import OutOfMemory
from seatalloc.schema.allocation import Allocation
from seatalloc.schema.event import Event
from seatalloc.solve.memory import available_bytes
from seatalloc.solve.result import no_allocation

logger = logging.getLogger("seatalloc")

#: Bytes the hand-out and the allocation take per attendee-pass beyond the event (measured: 150 on an
#: S1 shape of 100,000, whose attendees merge into a few types; unique attendees take more, with
#: the compiled arcs, which the methods count before they run).
PLACE_BYTES = 150

#: Events of at most this many attendee-passes have their certificate recomputed by the guard too
#: (in plain Python: 30 µs an attendee-pass of four passes, 12 s for 100,000 attendees, beyond the
#: time the solve holds back); larger ones leave that to ``seatalloc check``.
CERTIFIED_PLACES = 20_000


def verified(event: Event, allocation: Allocation, plan: AdmissionPlan | None) -> Allocation:
    """Return ``allocation`` when the independent checker finds every rule of ``event`` kept in it;
    else none: every attendee-pass unseated, status ``unknown``, and a note that says how many rules
    the method's allocation broke (a method's bug: never an allocation that breaks a rule called feasible
    or optimal). The check is linear in the attendee-passes (5 to 8 µs each), and the budget holds
    its time back (``solver.FINISH_PER_PLACE``). The certificate's bound is recomputed too on
    events of at most :data:`CERTIFIED_PLACES` attendee-passes; a bound it does not prove counts
    as a broken rule."""
    if allocation.status not in ("optimal", "feasible"):
        return allocation
    places = len(event.attendees) * len(event.passes)
    report = check(event, allocation, certificate=places <= CERTIFIED_PLACES)
    if report.ok:
        return allocation
    assert allocation.solver is not None  # (the allocation of a solve says how it ran)
    method = allocation.solver.method
    n = len(report.violations)
    logger.error("the %s method's allocation broke %d rule(s); no allocation is returned", method, n)
    note = (  # (the checker's sentences may name needs or attributes: personal, never in an answer)
        f"the {method} method's allocation broke {n} rule(s) of the event, so none is returned "
        "(a fault of seatalloc's: please report it with the event)"
    )
    empty = no_allocation(
        event,
        status="unknown",
        reason=f"no allocation was found: {note}",
        bound=None,
        types=allocation.stats.types,
        plan=plan,
    )
    solver = allocation.solver.model_copy(update={"note": note})
    return empty.model_copy(update={"solver": solver})


def within_memory(
    event: Event, work: Callable[[], Allocation], empty: Callable[[str], Allocation]
) -> Allocation:
    """Return what ``work`` returns, unless the event will not fit in the memory available (its
    allocation alone, :data:`PLACE_BYTES` per attendee-pass, refused before the work starts) or
    the work runs out of memory: then ``empty(note)``, the allocation without seats whose note
    says so.

    Raises
    ------
    OutOfMemory
        Not even the allocation without seats could be made.
    """
    have = available_bytes()
    places = len(event.attendees) * len(event.passes)
    need = PLACE_BYTES * places
    if have is not None and need > have:
        note = (
            f"refused before the work started: its allocation alone ({places:,} attendee-passes) needs "
            f"about {_gb(need)} of memory, and {_gb(have)} is available"
        )
        return _without_memory(empty, note)
    try:
        return work()
    except MemoryError:
        pass  # (out of the handler: what the work held is freed before the allocation without seats)
    gc.collect()
    left = "" if have is None else f" ({_gb(have)} was available when it started)"
    return _without_memory(
        empty, f"the solve ran out of memory{left}: a machine with more memory, or a smaller event"
    )


def _without_memory(empty: Callable[[str], Allocation], note: str) -> Allocation:
    """Return ``empty(note)``, logged without the event's data."""
    logger.error("no allocation: %s", note)
    try:
        return empty(note)
    except MemoryError:
        raise OutOfMemory(f"no allocation: {note}; not even one without seats could be made") from None


def _gb(size: float) -> str:
    return f"{size / 1e9:.1f} GB"
