"""Room capacity and attendance bounds: people per session between its minimum and capacity."""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent, groups
from seatalloc.model.variables import Variables, said, session_ids


def add_capacity(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Cap the people in every session at its capacity; hold them at its minimum or more."""
    by_session = dict(groups(data.arcs.session))
    held = data.fixed_seats.per_session(len(data.sessions.seminar))
    for s in np.flatnonzero(data.sessions.minimum > 0).tolist():
        arcs = by_session.get((s,), np.zeros(0, dtype=np.int64))
        minimum = int(data.sessions.minimum[s])
        where = data.session_name(s)
        room = ""  # (the room the minimum must fit in, named: it may be too small)
        if not data.planned:
            room = (
                f" (its room {data.room_ids[data.sessions.room[s]]!r} seats {int(data.sessions.capacity[s])})"
            )
        people = v.persons(arcs) + int(held[s]) - v.slot_people(s, data.candidates.minimum)
        if data.soft_minimum:
            short = v.new_int(0, minimum, f"short{s}")
            model.add(people + short >= 0)
            v.shortfall.append(short)
            continue
        ids = session_ids(data, s)
        v.at_least(
            people,
            0,
            rule=said("minimum", f"{where} seats at least {minimum}{room}", limit=minimum, **ids),
            change=said("minimum", f"{where} needs a minimum {{n}} lower", limit=minimum, **ids),
            most=minimum,  # (relaxed by up to the whole minimum, though the bound is 0 here)
        )
    none = np.zeros(0, dtype=np.int64)
    rooms = _rooms(data)
    # sessions with held people too: a sub-event that plans must not close them
    for s in sorted({s for (s,) in by_session} | set(np.flatnonzero(held).tolist())):
        arcs = by_session.get((s,), none)
        capacity = int(data.sessions.capacity[s])
        room_id, largest = rooms[s]
        room = repr(room_id) if room_id is not None else "(none)"
        where = data.session_name(s) + largest
        ids = session_ids(data, s) | {"room": room_id, "limit": capacity}
        v.at_most(
            v.persons(arcs) + int(held[s]) - v.slot_people(s, data.candidates.capacity),
            0,
            rule=said("capacity", f"room {room} seats {capacity} ({where})", **ids),
            change=said("capacity", f"room {room} ({where}) needs {{n}} more seats", **ids),
        )


def _rooms(data: CompiledEvent) -> list[tuple[str | None, str]]:
    """Per session, the room that holds its capacity, and for a planned session whose room the
    optimiser chooses among several, words that say it is the largest of them."""
    if not data.planned:
        return [(data.room_ids[r], "") for r in data.sessions.room.tolist()]
    out: list[tuple[str | None, str]] = []
    candidates = dict(groups(data.candidates.slot))
    for s in range(len(data.sessions.seminar)):
        mine = candidates.get((s,), np.zeros(0, dtype=np.int64))
        if len(mine) == 0:
            out.append((None, ""))
            continue
        largest = int(mine[np.argmax(data.candidates.capacity[mine])])
        several = len(np.unique(data.candidates.room[mine])) > 1
        out.append(
            (data.room_ids[data.candidates.room[largest]], ", the largest it may run in" if several else "")
        )
    return out


def add_shared_limits(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Cap the people seated across the sessions of each group of seminars that share a limit."""
    arc_seminar = data.sessions.seminar[data.arcs.session]
    held = data.fixed_seats.per_session(len(data.sessions.seminar))
    for seminars, cap, name in zip(
        data.rules.shared_limit_seminars,
        data.rules.shared_limit_cap.tolist(),
        data.rules.shared_limit_names,
        strict=True,
    ):
        arcs = np.flatnonzero(np.isin(arc_seminar, seminars))
        others = int(held[np.isin(data.sessions.seminar, seminars)].sum())
        v.at_most(
            v.persons(arcs) + others,
            cap,
            rule=said("shared-limit", f"{name}: at most {cap} seated", limit=cap),
            change=said("shared-limit", f"{name} needs {{n}} more places", limit=cap),
        )
