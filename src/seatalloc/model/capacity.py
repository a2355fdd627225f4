"""Room capacity and attendance bounds: people per session between its minimum and capacity."""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent, groups
from seatalloc.model.variables import Variables


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
        v.at_least(
            people,
            0,
            rule=f"{where} seats at least {minimum}{room}",
            change=f"{where} needs a minimum {{n}} lower",
            most=minimum,  # (relaxed by up to the whole minimum, though the bound is 0 here)
        )
    none = np.zeros(0, dtype=np.int64)
    rooms = _rooms(data)
    # sessions with held people too: a sub-event that plans must not close them
    for s in sorted({s for (s,) in by_session} | set(np.flatnonzero(held).tolist())):
        arcs = by_session.get((s,), none)
        capacity = int(data.sessions.capacity[s])
        room, largest = rooms[s]
        where = data.session_name(s) + largest
        v.at_most(
            v.persons(arcs) + int(held[s]) - v.slot_people(s, data.candidates.capacity),
            0,
            rule=f"room {room} seats {capacity} ({where})",
            change=f"room {room} ({where}) needs {{n}} more seats",
        )


def _rooms(data: CompiledEvent) -> list[tuple[str, str]]:
    """Per session, the room that holds its capacity, named, and for a planned session whose room the
    optimiser chooses among several, words that say it is the largest of them."""
    if not data.planned:
        return [(repr(data.room_ids[r]), "") for r in data.sessions.room.tolist()]
    out = []
    candidates = dict(groups(data.candidates.slot))
    for s in range(len(data.sessions.seminar)):
        mine = candidates.get((s,), np.zeros(0, dtype=np.int64))
        if len(mine) == 0:
            out.append(("(none)", ""))
            continue
        largest = int(mine[np.argmax(data.candidates.capacity[mine])])
        several = len(np.unique(data.candidates.room[mine])) > 1
        out.append(
            (repr(data.room_ids[data.candidates.room[largest]]), ", the largest it may run in" * several)
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
            rule=f"{name}: at most {cap} seated",
            change=f"{name} needs {{n}} more places",
        )
