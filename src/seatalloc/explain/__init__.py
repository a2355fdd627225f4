"""Explanations: why an attendee has no seat, and why an event is infeasible."""

from seatalloc.explain.audit import Audit, audit
from seatalloc.explain.reasons import Reason, unseated_reasons
from seatalloc.explain.why import AttendeeExplanation, explain

__all__ = ["AttendeeExplanation", "Audit", "Reason", "audit", "explain", "unseated_reasons"]
