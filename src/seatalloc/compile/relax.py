"""The plain relaxation of a compiled event: the rules across attendees left out.

Quotas, shared limits, parity and mix rules, minimum attendance and
priority classes go; each
attendee's own rules (one seat per pass, no seminar twice, pins, needs) and
room capacities stay, with the total cost as objective. Every allocation of
the event is one of its relaxation, so the relaxation's optimum is a lower
bound on the event's, and its allocation is a start that only the rules
left out can break.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from seatalloc.compile.data import CompiledEvent


def plain_relaxation(data: CompiledEvent) -> CompiledEvent:
    """Return ``data`` without its rules across attendees, minimising the total cost."""
    none = np.zeros(0, dtype=np.int64)
    rules = replace(
        data.rules,
        session_quota_organisation=none,
        session_quota_cap=none,
        session_quota_sessions=(),
        seat_quota_organisation=none,
        seat_quota_cap=none,
        shared_limit_seminars=(),
        shared_limit_cap=none,
        shared_limit_names=(),
        parity=(),
        parity_objective=None,
        diversity=(),
    )
    return replace(
        data,
        rules=rules,
        sessions=replace(data.sessions, minimum=np.zeros_like(data.sessions.minimum)),
        candidates=replace(data.candidates, minimum=np.zeros_like(data.candidates.minimum)),
        types=replace(data.types, priority=np.zeros_like(data.types.priority)),
        objective_kind="rank-cost",
    )
