"""Explanations: why an attendee has no seat, and why an event is infeasible."""

from seatalloc.explain.audit import Audit, audit
from seatalloc.explain.reasons import Reason, unseated_reasons

__all__ = ["Audit", "Reason", "audit", "unseated_reasons"]
