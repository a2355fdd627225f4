"""Organisation quotas: per matching session, and seats at the event at all."""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent, groups
from seatalloc.model.variables import Variables, said, session_ids


def add_session_quotas(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Cap an organisation's attendees in every session a quota matches."""
    arc_org = data.types.organisation[data.arcs.type]
    held = data.fixed_seats
    for org, cap, sessions in zip(
        data.rules.session_quota_organisation.tolist(),
        data.rules.session_quota_cap.tolist(),
        data.rules.session_quota_sessions,
        strict=True,
    ):
        mine = np.flatnonzero((arc_org == org) & np.isin(data.arcs.session, sessions))
        others = held.per_session(len(data.sessions.seminar), held.organisation == org).tolist()
        for (s,), local in groups(data.arcs.session[mine]):
            where = f"organisation {data.organisation_ids[org]!r} in {data.session_name(s)}"
            ids = session_ids(data, s) | {"organisation": data.organisation_ids[org], "limit": cap}
            v.at_most(
                v.persons(mine[local]) + others[s],
                cap,
                rule=said("session-quota", f"quota: {where} at most {cap}", **ids),
                change=said("session-quota", f"quota: {where} needs to allow {{n}} more", **ids),
            )


def add_seat_quotas(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Cap how many of an organisation's attendees are seated at the event at all."""
    for org, cap in zip(
        data.rules.seat_quota_organisation.tolist(), data.rules.seat_quota_cap.tolist(), strict=True
    ):
        mine = np.flatnonzero(data.types.organisation == org)
        if data.itineraries:  # a venue itinerary with no seat in any pass seats nobody
            mine = mine[np.isin(mine, data.arcs.type)]
        types = mine.tolist()
        name = data.organisation_ids[org]
        others = int(data.fixed_seats.admitted_persons[org])
        v.at_most(
            cp_model.LinearExpr.weighted_sum([v.admitted(t) for t in types], data.types.size[types].tolist())
            + others,
            cap,
            rule=said(
                "seat-quota",
                f"quota: organisation {name!r} at most {cap} seated",
                organisation=name,
                limit=cap,
            ),
            change=said(
                "seat-quota",
                f"quota: organisation {name!r} needs {{n}} more seats at the event",
                organisation=name,
                limit=cap,
            ),
        )
