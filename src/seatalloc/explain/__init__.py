"""Explanations: why an attendee has no seat, and why an event is infeasible."""

from seatalloc.explain.reasons import Reason, unseated_reasons

__all__ = ["Reason", "unseated_reasons"]
