"""Explanations, above solving: why an attendee got nothing better, audits, reports, comparisons."""

from seatalloc.explain.audit import Audit, audit
from seatalloc.explain.compare import compare_objectives
from seatalloc.explain.why import AttendeeExplanation, explain

__all__ = ["AttendeeExplanation", "Audit", "audit", "compare_objectives", "explain"]
