"""Each attendee: at most one session per pass, never one seminar twice, pins honoured,
at most ``max_sessions`` in all."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from seatalloc.compile import NOT_ATTENDING, CompiledEvent, groups
from seatalloc.model.variables import Variables, said


def add_assignment(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Add the per-attendee rules at type level.

    Per type and pass, at most the admitted members are seated (exactly all
    of them when the type is pinned in that pass, or when the event admits
    attendees: then an admitted attendee has a seat in every pass they attend; with venue itineraries,
    every member of a sub-type sits in each pass its itinerary has a venue for). Per type
    and seminar, the seats over all passes are at most the admitted members: with that, the
    type's seats can always be handed out so nobody repeats a seminar
    (König's edge-colouring theorem; see ``solve.handout``).
    """
    arc_pass = data.sessions.pass_[data.arcs.session]
    by_type_pass = dict(groups(data.arcs.type, arc_pass))
    if data.itineraries and not data.by_runs and not data.by_bundles:
        _add_itineraries(data, model, v, by_type_pass)
    else:
        _add_passes(data, model, v, by_type_pass)
        _add_runs(data, model, v)
        if data.by_runs or data.by_bundles:
            _add_plans(data, model, v)
    _add_pins(data, v, by_type_pass)
    _add_required(data, model, v)
    _add_session_limits(data, v)
    _add_parts(data, model, v)
    first = np.flatnonzero(data.sessions.part[data.arcs.session] == 0)  # a run counts once
    arc_seminar = data.sessions.seminar[data.arcs.session[first]]
    for (t, _j), arcs in groups(data.arcs.type[first], arc_seminar):
        if len(set(arc_pass[first[arcs]].tolist())) > 1:
            model.add(v.seats(first[arcs]) <= v.admitted(t))


def _add_runs(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Types split by run (``compile.runs``): each member follows one plan, and sits in every
    part of its plan's runs."""
    if not data.by_runs:
        return
    arc_of = {
        key: e for e, key in enumerate(zip(data.arcs.type.tolist(), data.arcs.session.tolist(), strict=True))
    }
    for u, plan in enumerate(data.types.runs):
        for s in plan:  # (every session of the plan has an arc: compile.runs)
            model.add(v.seat[arc_of[(u, s)]] == v.admitted(u))


def _add_plans(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Types split by run or by bundle: the sub-types of a base type share its members."""
    varies = data.admits | np.isin(data.types.organisation, data.rules.seat_quota_organisation)
    for _, subtypes in groups(data.types.parent):
        total = cp_model.LinearExpr.sum([v.admitted(u) for u in subtypes.tolist()])
        members = int(data.types.count[subtypes[0]])
        if varies[subtypes[0]] and (data.types.fixed[subtypes[0]] < 0).all():
            model.add(total <= int(data.types.chosen[subtypes[0]]))
        else:
            model.add(total == members)


def _add_parts(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Seat the same members in every part of a run: per type, as many in each part as in the
    part before (types that may sit in a run are one member each, so they are the same people)."""
    before = data.sessions.prior
    after = {int(before[s]): s for s in np.flatnonzero(before >= 0).tolist()}
    if not after:
        return
    arc_of = {
        key: e for e, key in enumerate(zip(data.arcs.type.tolist(), data.arcs.session.tolist(), strict=True))
    }
    pairs = set()  # (type, a later part's session) with an arc there or in the part before
    for t, s in arc_of:
        if before[s] >= 0:
            pairs.add((t, s))
        if s in after:
            pairs.add((t, after[s]))
    for t, s in sorted(pairs):
        here, there = arc_of.get((t, s)), arc_of.get((t, int(before[s])))
        model.add(
            v.seats(np.array([] if here is None else [here], dtype=np.int64))
            == v.seats(np.array([] if there is None else [there], dtype=np.int64))
        )


def _add_itineraries(
    data: CompiledEvent,
    model: cp_model.CpModel,
    v: Variables,
    by_type_pass: dict[tuple[int, ...], NDArray[np.int64]],
) -> None:
    """Types split by venue itinerary: each member follows one, seated where it has a venue."""
    for (t, _p), arcs in by_type_pass.items():
        model.add(v.seats(arcs) == v.admitted(t))
    for (_parent,), subtypes in groups(data.types.parent):
        members = int(data.types.count[subtypes[0]])
        model.add(cp_model.LinearExpr.sum([v.admitted(u) for u in subtypes.tolist()]) == members)


def _add_passes(
    data: CompiledEvent,
    model: cp_model.CpModel,
    v: Variables,
    by_type_pass: dict[tuple[int, ...], NDArray[np.int64]],
) -> None:
    """Per type and pass: seats up to the admitted members (all of them when pinned or admitting)."""
    for (t, p), arcs in by_type_pass.items():
        if data.types.fixed[t, p] >= 0:
            if data.itineraries:  # (the pin holds per base type; each sub-type's members sit too)
                model.add(v.seats(arcs) == v.admitted(t))
            continue
        if data.admits:  # an admitted attendee is seated in every pass
            model.add(v.seats(arcs) == v.admitted(t))
        else:
            model.add(v.seats(arcs) <= v.admitted(t))
    if data.admits:  # ... in every pass they attend
        attended = (data.types.fixed < 0) & (data.types.pass_block != NOT_ATTENDING)
        for t, p in zip(*np.nonzero(attended), strict=True):
            if (int(t), int(p)) not in by_type_pass:
                model.add(v.admitted(int(t)) == 0)


def _add_pins(
    data: CompiledEvent, v: Variables, by_type_pass: dict[tuple[int, ...], NDArray[np.int64]]
) -> None:
    """Seat every pinned member in its pinned seminar, counted per base type (venue itineraries
    of one base type share its members)."""
    first = np.r_[True, data.types.parent[1:] != data.types.parent[:-1]]
    none = np.zeros(0, dtype=np.int64)
    pinned = list(zip(*np.nonzero((data.types.fixed >= 0) & first[:, None]), strict=True))
    size = np.diff(data.members.start)
    everyone: dict[tuple[int, int], int] = {}  # (seminar, pass) -> members pinned there, of every type
    for t, p in pinned:
        key = (int(data.types.fixed[t, p]), int(p))
        everyone[key] = everyone.get(key, 0) + int(size[data.types.parent[t]])
    for t, p in pinned:
        t, p = int(t), int(p)
        base = int(data.types.parent[t])
        subtypes = np.flatnonzero(data.types.parent == base).tolist()
        arcs = np.concatenate([by_type_pass.get((u, p), none) for u in subtypes])
        members = int(size[base])
        total = everyone[(int(data.types.fixed[t, p]), p)]
        where = f"seminar {data.seminar_ids[data.types.fixed[t, p]]!r} in pass {data.pass_ids[p]!r}"
        if len(arcs) == 0:
            where += ", whose room lacks a feature they need"
        # (a conflict may need only some of them: "2 of the 3"; :func:`merged` adds up the groups)
        ids = {"seminar": data.seminar_ids[data.types.fixed[t, p]], "pass_": data.pass_ids[p], "of": total}
        v.exactly(
            v.seats(arcs),
            members,
            rule=said(
                "pinned", f"{members} of the {total} attendee(s) pinned to {where}", attendees=members, **ids
            ),
            change=said("pinned", f"unpin {{n}} of the {total} attendee(s) pinned to {where}", **ids),
        )


def _add_session_limits(data: CompiledEvent, v: Variables) -> None:
    """Seats per type up to ``max_sessions`` per member, where it is below the passes it can use."""
    arc_pass = data.sessions.pass_[data.arcs.session]
    for (t,), arcs in groups(data.arcs.type):
        limit = int(data.types.max_sessions[t])
        if limit >= len(np.unique(arc_pass[arcs])):
            continue
        members = int(data.types.count[t])
        v.at_most(
            v.seats(arcs) - limit * v.admitted(t),
            0,
            rule=said(
                "max-sessions",
                f"{members} attendee(s) may have at most {limit} session(s) each (max_sessions)",
                attendees=members,
                limit=limit,
            ),
            change=said(
                "max-sessions", f"{{n}} more session(s) for attendees with max_sessions {limit}", limit=limit
            ),
        )


def _add_required(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Give every member of a type each seminar it requires, in some pass."""
    if not any(data.types.required):
        return
    first = np.flatnonzero(data.sessions.part[data.arcs.session] == 0)  # a run counts once
    arc_seminar = data.sessions.seminar[data.arcs.session[first]]
    by_type_seminar = {key: first[arcs] for key, arcs in groups(data.arcs.type[first], arc_seminar)}
    seated_somewhere = set(data.arcs.type.tolist())
    capped = set(data.rules.seat_quota_organisation.tolist())
    none = np.zeros(0, dtype=np.int64)
    for t, required in enumerate(data.types.required):
        for j in required:
            arcs = by_type_seminar.get((t, j), none)
            name = data.seminar_ids[j]
            if isinstance(v.admitted(t), int):
                members = int(data.types.count[t])
                v.exactly(
                    v.seats(arcs),
                    members,
                    rule=said(
                        "required",
                        f"{members} attendee(s) must be given seminar {name!r}",
                        seminar=name,
                        attendees=members,
                    ),
                    change=said(
                        "required", f"{{n}} attendee(s) need not be given seminar {name!r}", seminar=name
                    ),
                )
            elif t in seated_somewhere or not (data.admits or data.types.organisation[t] in capped):
                # a variable share of the type (admission, quotas, itineraries): all of it, except
                # a venue itinerary with no seat at all for someone admission or max_seats leaves out
                model.add(v.seats(arcs) == v.admitted(t))
