"""The public schema: validated, frozen pydantic models of events and allocations."""

from seatalloc.schema.allocation import (
    Allocation,
    Assignment,
    SessionFill,
    SolverInfo,
    Stats,
    Status,
    Unseated,
)
from seatalloc.schema.event import (
    Attendee,
    Event,
    Objective,
    Organisation,
    Pass,
    Quota,
    Room,
    Seminar,
    Session,
)

__all__ = [
    "Allocation",
    "Assignment",
    "Attendee",
    "Event",
    "Objective",
    "Organisation",
    "Pass",
    "Quota",
    "Room",
    "Seminar",
    "Session",
    "SessionFill",
    "SolverInfo",
    "Stats",
    "Status",
    "Unseated",
]
