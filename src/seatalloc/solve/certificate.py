"""Prices that prove a bound by themselves, as a method finds them and as the allocation states them.

A method that prices the rules across attendees (the lns method's LP duals and
Lagrangian prices) keeps its best prices as :class:`Priced`, in compiled
indices; :func:`certificate_of` names them as the event does, for
``seatalloc check`` to recompute the bound they prove
(:mod:`seatalloc.check.certificate`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from seatalloc.compile import CompiledEvent
from seatalloc.schema.allocation import Certificate, LimitPrice, MixPrice, QuotaPrice, SessionPrice
from seatalloc.schema.event import Event


@dataclass(frozen=True)
class Priced:
    """Prices (at least 0) on the rules across attendees that prove ``bound`` by themselves, in
    compiled indices: per capacity ``sessions`` and ``session_prices``, per shared limit
    ``limits`` and ``limit_prices``, per quota row ``quotas`` (among the quotas per session),
    ``quota_sessions`` and ``quota_prices``, per mix row ``mixes`` (the rule), ``mix_sessions``,
    ``mix_groups`` (the value's group) and ``mix_prices`` (per attendee of the value, as the
    certificate states them)."""

    bound: int
    sessions: NDArray[np.int64]
    session_prices: NDArray[np.float64]
    limits: NDArray[np.int64]
    limit_prices: NDArray[np.float64]
    quotas: NDArray[np.int64]
    quota_sessions: NDArray[np.int64]
    quota_prices: NDArray[np.float64]
    mixes: NDArray[np.int64]
    mix_sessions: NDArray[np.int64]
    mix_groups: NDArray[np.int64]
    mix_prices: NDArray[np.float64]


def stronger(one: Priced | None, other: Priced | None) -> Priced | None:
    """Return whichever prices prove more (either when one is None)."""
    if one is None or (other is not None and other.bound > one.bound):
        return other
    return one


def certificate_of(event: Event, data: CompiledEvent, priced: Priced) -> Certificate:
    """Return ``priced`` as the allocation's certificate: sessions, quotas and limits named as in
    ``event`` (whose sessions are fixed: a compiled session is one of its candidate sessions)."""
    sessions = data.sessions

    def where(s: int) -> dict[str, str]:
        return {
            "seminar": data.seminar_ids[sessions.seminar[s]],
            "pass_": data.pass_ids[sessions.pass_[s]],
            "room": data.room_ids[sessions.room[s]],
        }

    per_session = [i for i, q in enumerate(event.quotas) if q.max_per_session is not None]
    return Certificate(
        bound=priced.bound,
        sessions=tuple(
            SessionPrice(**where(s), price=p)
            for s, p in zip(priced.sessions.tolist(), priced.session_prices.tolist(), strict=True)
        ),
        quotas=tuple(
            QuotaPrice(quota=per_session[q], **where(s), price=p)
            for q, s, p in zip(
                priced.quotas.tolist(),
                priced.quota_sessions.tolist(),
                priced.quota_prices.tolist(),
                strict=True,
            )
        ),
        shared_limits=tuple(
            LimitPrice(limit=i, price=p)
            for i, p in zip(priced.limits.tolist(), priced.limit_prices.tolist(), strict=True)
        ),
        mixes=tuple(
            MixPrice(rule=i, value=data.groups.names[data.rules.diversity[i].dim][g], **where(s), price=p)
            for i, s, g, p in zip(
                priced.mixes.tolist(),
                priced.mix_sessions.tolist(),
                priced.mix_groups.tolist(),
                priced.mix_prices.tolist(),
                strict=True,
            )
        ),
    )
