"""The public schema: validated, frozen pydantic models of events and allocations."""

from seatalloc.schema.allocation import (
    Allocation,
    Assignment,
    Move,
    SessionFill,
    SolverInfo,
    Stats,
    Status,
    Unseated,
    WaitlistEntry,
)
from seatalloc.schema.event import (
    Admission,
    Attendee,
    Event,
    Objective,
    Organisation,
    Pass,
    Quota,
    Reserve,
    Room,
    Seminar,
    Session,
)

__all__ = [
    "Admission",
    "Allocation",
    "Assignment",
    "Attendee",
    "Event",
    "Move",
    "Objective",
    "Organisation",
    "Pass",
    "Quota",
    "Reserve",
    "Room",
    "Seminar",
    "Session",
    "SessionFill",
    "SolverInfo",
    "Stats",
    "Status",
    "Unseated",
    "WaitlistEntry",
]
