"""Compile pass 1: sessions, the candidates the optimiser may run, and the planning rules.

With every session fixed, the sessions are the event's sessions (one per
part of a seminar with ``parts``). When the optimiser plans
(``Event.planned``), a session is a (seminar, pass, part) *slot* whose room is
chosen among its candidates: a seminar runs at most once per pass.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from seatalloc.compile.data import Candidates, IntArray, Planning, Sessions, array
from seatalloc.schema.event import Event


class Index:
    """Positions of the event's passes, seminars, rooms and organisations by id."""

    def __init__(self, event: Event):
        self.passes = {p.id: i for i, p in enumerate(event.passes)}
        self.seminars = {s.id: i for i, s in enumerate(event.seminars)}
        self.rooms = {r.id: i for i, r in enumerate(event.rooms)}
        self.organisations = {o.id: i for i, o in enumerate(event.organisations)}

    def seminar_groups(self, groups: Iterable[Iterable[str]]) -> tuple[IntArray, ...]:
        """Return each group of seminar ids as an array of seminar indices."""
        return tuple(array([self.seminars[j] for j in group]) for group in groups)


def compile_sessions(event: Event, index: Index) -> tuple[Sessions, Candidates, Planning]:
    """Return the sessions, the candidates and the planning rules of ``event``."""
    candidates = event.candidate_parts()
    seminar = array([index.seminars[j] for j, _, _, _ in candidates])
    pass_ = array([index.passes[p] for _, p, _, _ in candidates])
    room = array([index.rooms[r] for _, _, r, _ in candidates])
    part = array([i for _, _, _, i in candidates])
    entries = list(zip(seminar.tolist(), pass_.tolist(), room.tolist(), part.tolist(), strict=True))
    where = {entry: c for c, entry in enumerate(entries)}
    prior = array([where[(j, p - 1, r, i - 1)] if i else -1 for j, p, r, i in entries])
    most = [m.max_attendance for m in event.seminars]
    capacity = array(
        [
            event.rooms[r].capacity if most[j] is None else min(event.rooms[r].capacity, most[j])
            for r, j in zip(room.tolist(), seminar.tolist(), strict=True)
        ]
    )
    planning = _planning(event, index, seminar, pass_, room, part)
    if event.planned:
        keys = list(dict.fromkeys(zip(seminar.tolist(), pass_.tolist(), part.tolist(), strict=True)))
        slot_of = {key: i for i, key in enumerate(keys)}
        slot = array(
            [slot_of[key] for key in zip(seminar.tolist(), pass_.tolist(), part.tolist(), strict=True)]
        )
        session_capacity = np.zeros(len(keys), dtype=np.int64)
        np.maximum.at(session_capacity, slot, capacity)
        sessions_seminar, sessions_pass = array([j for j, _, _ in keys]), array([p for _, p, _ in keys])
        session_part = array([i for _, _, i in keys])
        session_prior = array([slot_of.get((j, p - 1, i - 1), -1) if i else -1 for j, p, i in keys])
        session_room = np.full(len(keys), -1, dtype=np.int64)
    else:
        slot = np.arange(len(candidates), dtype=np.int64)
        sessions_seminar, sessions_pass, session_room = seminar.copy(), pass_.copy(), room.copy()
        session_part, session_prior = part.copy(), prior.copy()
        session_capacity = capacity.copy()
    minimum = array([event.seminars[j].min_attendance for j in seminar.tolist()])
    for session, options in zip(event.sessions, planning.run_options, strict=True):
        minimum[options] = np.maximum(minimum[options], session.min_attendance)
    session_minimum = np.zeros(len(sessions_seminar), dtype=np.int64)
    np.maximum.at(session_minimum, slot, minimum)
    sessions = Sessions(
        sessions_seminar,
        sessions_pass,
        session_room,
        session_capacity,
        session_minimum,
        session_part,
        session_prior,
    )
    return sessions, Candidates(seminar, pass_, room, capacity, minimum, slot, part, prior), planning


def _planning(
    event: Event, index: Index, seminar: IntArray, pass_: IntArray, room: IntArray, part: IntArray
) -> Planning:
    """Each listed run's candidates (its first parts), the runs beyond them, and the pass rules."""
    run_seminar, run_options = [], []
    listed = np.zeros(len(event.seminars), dtype=np.int64)
    for session in event.sessions:
        j = index.seminars[session.seminar]
        listed[j] += 1
        match = (seminar == j) & (part == 0)
        if session.pass_ is not None:
            match &= pass_ == index.passes[session.pass_]
        if session.room is not None:
            match &= room == index.rooms[session.room]
        run_seminar.append(j)
        run_options.append(np.flatnonzero(match).astype(np.int64))
    runs = np.array([listed[j] if m.runs is None else m.runs for j, m in enumerate(event.seminars)])
    return Planning(
        run_seminar=array(run_seminar),
        run_options=tuple(run_options),
        extra_runs=(runs - listed).astype(np.int64),
        optional=np.array([m.optional for m in event.seminars], dtype=bool),
        same_pass=index.seminar_groups(event.same_pass),
        different_pass=index.seminar_groups(event.different_pass),
        min_sessions=array([p.min_sessions for p in event.passes]),
    )
