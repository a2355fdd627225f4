"""Room capacity: the seats given in a session never exceed its room's capacity."""

from __future__ import annotations

from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent
from seatalloc.model.variables import Variables, groups


def add_capacity(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Cap the seats of every session at its room's capacity."""
    for (s,), arcs in groups(data.arc_session):
        capacity = int(data.session_capacity[s])
        room = data.room_ids[data.session_room[s]]
        where = (
            f"seminar {data.seminar_ids[data.session_seminar[s]]!r}, "
            f"pass {data.pass_ids[data.session_pass[s]]!r}"
        )
        v.at_most(
            v.seats(arcs),
            capacity,
            rule=f"room {room!r} seats {capacity} ({where})",
            change=f"room {room!r} ({where}) needs {{n}} more seats",
        )
