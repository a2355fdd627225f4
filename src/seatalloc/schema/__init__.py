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
from seatalloc.schema.event import Event
from seatalloc.schema.records import (
    Admission,
    Attendee,
    Objective,
    Organisation,
    Party,
    Pass,
    Quota,
    Reserve,
    Room,
    Seminar,
    Session,
    VenueMoves,
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
    "Party",
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
    "VenueMoves",
    "WaitlistEntry",
]
