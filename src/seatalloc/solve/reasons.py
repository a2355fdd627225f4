"""Why an attendee has no seat in a pass.

Reasons are computed from the compiled event and the finished allocation, per
attendee-pass without a seat, and never mention other attendees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from seatalloc.compile import NEEDS, NO_SESSION, NOT_ATTENDING, CompiledEvent
from seatalloc.schema.allocation import UnseatedCode


@dataclass(frozen=True)
class Reason:
    """A machine-readable code and the same reason in words."""

    code: UnseatedCode
    text: str


def unseated_reasons(
    data: CompiledEvent,
    session: NDArray[np.int64],
    admitted: NDArray[np.bool_],
    is_open: NDArray[np.bool_],
    waiting: dict[int, str] | None = None,
) -> list[tuple[int, int, Reason]]:
    """Return ``(attendee, pass, reason)`` for every attendee-pass without a seat.

    Parameters
    ----------
    data
        The compiled event.
    session
        ``session[a, p]``: the session of attendee ``a`` in pass ``p``, or -1.
    admitted
        False for attendees not admitted or left out by their organisation's
        ``max_seats`` quota.
    is_open
        Whether each (candidate) session runs.
    waiting
        Why each attendee not admitted by the event's admission rule waits.

    Returns
    -------
    list of (attendee, pass, Reason)
        Ordered by attendee, then pass.
    """
    n_sessions = len(data.sessions.seminar)
    people = np.repeat(data.types.size[data.members.type][:, None], data.n_passes, axis=1)
    seated = np.bincount(session[session >= 0], weights=people[session >= 0], minlength=n_sessions)
    org_of = data.types.organisation[data.members.type]
    n_orgs = len(data.organisation_ids) + 1  # row -1: attendees without organisation
    org_fill = np.zeros((n_orgs, n_sessions), dtype=np.int64)
    mask = session >= 0
    np.add.at(
        org_fill, (np.repeat(org_of[:, None], data.n_passes, axis=1)[mask], session[mask]), people[mask]
    )
    quota_cap = np.full((n_orgs, n_sessions), np.iinfo(np.int64).max, dtype=np.int64)
    for org, cap, sessions in zip(
        data.rules.session_quota_organisation.tolist(),
        data.rules.session_quota_cap.tolist(),
        data.rules.session_quota_sessions,
        strict=True,
    ):
        quota_cap[org, sessions] = np.minimum(quota_cap[org, sessions], cap)

    # Every place without a seat at once: its type, whether it is blocked, and the seats the attendee has.
    place_a, place_p = np.nonzero(session < 0)
    place_t = data.members.type[place_a]
    blocks = data.types.pass_block[place_t, place_p].tolist()
    full_load = ((session >= 0).sum(axis=1)[place_a] >= data.types.max_sessions[place_t]).tolist()
    look = _Lookup(data, session, is_open, seated, org_fill, quota_cap)
    words = _Words(data)
    out: list[tuple[int, int, Reason]] = []
    for a, p, t, block, loaded in zip(
        place_a.tolist(), place_p.tolist(), place_t.tolist(), blocks, full_load, strict=True
    ):
        if block == NOT_ATTENDING:
            reason = words.away(p)
        elif waiting is not None and a in waiting:
            reason = Reason("not-admitted", f"not admitted: {waiting[a]}")
        elif not admitted[a]:
            reason = words.max_seats(look.type_organisation[t])
        elif block == NO_SESSION:
            reason = words.no_session(p)
        elif block == NEEDS:
            reason = words.needs(p)
        elif loaded:
            reason = words.max_sessions(int(data.types.max_sessions[t]))
        else:
            reason = _busy_reason(data, look, a, p, t)
        out.append((a, p, reason))
    return out


class _Words:
    """The reasons that depend on the pass, the organisation or the load alone, each made once."""

    def __init__(self, data: CompiledEvent) -> None:
        self.data = data
        self._made: dict[tuple[UnseatedCode, int], Reason] = {}

    def _once(self, code: UnseatedCode, index: int, text: Callable[[], str]) -> Reason:
        key = (code, index)
        if key not in self._made:
            self._made[key] = Reason(code, text())
        return self._made[key]

    def _pass(self, p: int) -> str:
        return repr(self.data.pass_ids[p])

    def away(self, p: int) -> Reason:
        return self._once(
            "not-attending", p, lambda: f"the attendee does not attend pass {self._pass(p)} (available)"
        )

    def no_session(self, p: int) -> Reason:
        return self._once(
            "no-session",
            p,
            lambda: (
                f"no session in pass {self._pass(p)} is open to the attendee "
                "(seminars not offered, excluded or pinned to another pass)"
            ),
        )

    def needs(self, p: int) -> Reason:
        return self._once(
            "needs", p, lambda: f"no room in pass {self._pass(p)} has every feature the attendee needs"
        )

    def max_seats(self, org: int) -> Reason:
        name = self.data.organisation_ids
        return self._once(
            "max-seats", org, lambda: f"organisation {name[org]!r} has used all its seats (max_seats)"
        )

    def max_sessions(self, limit: int) -> Reason:
        return self._once(
            "max-sessions",
            limit,
            lambda: f"the attendee has the {limit} session(s) they asked for (max_sessions)",
        )


def _runs(data: CompiledEvent) -> dict[int, list[int]]:
    """The sessions of each run of a seminar in parts, by each of its sessions."""
    prior = data.sessions.prior.tolist()
    out: dict[int, list[int]] = {}
    for last in set(range(len(prior))) - set(prior):  # sessions no later part follows
        run = [last]
        while prior[run[0]] >= 0:
            run.insert(0, prior[run[0]])
        if len(run) > 1:
            out.update(dict.fromkeys(run, run))
    return out


class _Lookup:
    """What :func:`_busy_reason` reads, one item at a time, as lists (a numpy item costs ten times a
    list's: 46 µs a place at 100,000 unique attendees): the arcs of each type in each pass into
    sessions that run, each session's fill and capacity, and the fill of each organisation."""

    def __init__(
        self,
        data: CompiledEvent,
        session: NDArray[np.int64],
        is_open: NDArray[np.bool_],
        seated: NDArray[np.int64],
        org_fill: NDArray[np.int64],
        quota_cap: NDArray[np.int64],
    ) -> None:
        arcs = data.arcs
        usable = np.flatnonzero(is_open[arcs.session])  # arcs into sessions that run
        key = arcs.type[usable] * data.n_passes + data.sessions.pass_[arcs.session[usable]]
        order = np.argsort(key, kind="stable")
        self.arcs = usable[order]  # by type, then pass: those of (t, p) from start[t * P + p]
        self.start = np.searchsorted(key[order], np.arange(data.n_types * data.n_passes + 1))
        self.n_passes = data.n_passes
        self.session = session
        self.runs = _runs(data)
        self.type_organisation: list[int] = data.types.organisation.tolist()
        self.type_size: list[int] = data.types.size.tolist()
        self.session_seminar: list[int] = data.sessions.seminar.tolist()
        self.capacity: list[int] = data.sessions.capacity.tolist()
        self.arc_session: list[int] = arcs.session.tolist()
        self.arc_cost: list[int] = arcs.cost.tolist()
        self.seated: list[int] = seated.tolist()
        self.org_fill, self.quota_cap = org_fill, quota_cap
        self._rows: dict[int, tuple[list[int], list[int]]] = {}

    def arcs_of(self, t: int, p: int | None = None) -> list[int]:
        """The arcs of type ``t`` into sessions that run, in pass ``p`` (None: in every pass)."""
        first = t * self.n_passes
        begin, end = (first, first + self.n_passes) if p is None else (first + p, first + p + 1)
        arcs: list[int] = self.arcs[self.start[begin] : self.start[end]].tolist()
        return arcs

    def organisation(self, org: int) -> tuple[list[int], list[int]]:
        """The people of organisation ``org`` per session, and its quota there (-1: no organisation)."""
        if org not in self._rows:
            self._rows[org] = (self.org_fill[org].tolist(), self.quota_cap[org].tolist())
        return self._rows[org]


def _busy_reason(data: CompiledEvent, look: _Lookup, a: int, p: int, t: int) -> Reason:
    """Why attendee ``a`` of type ``t`` has no seat in pass ``p`` though a session there is open to
    them: the sessions are full or at their organisation's quota, or a seat was left free."""
    size = look.type_size[t]
    fill, cap = look.organisation(look.type_organisation[t])
    elsewhere = {look.session_seminar[s] for s in look.session[a].tolist() if s >= 0}
    mine: set[int] | None = None  # the sessions of all their arcs: only for runs
    full, quota, free, cut = [], [], [], []
    for e in look.arcs_of(t, p):
        s = look.arc_session[e]
        j = look.session_seminar[s]
        if j in elsewhere:
            continue
        run = look.runs.get(s)  # a part is taken with its whole run: all its parts must have room
        label = data.seminar_ids[j]
        if run is not None:
            if mine is None:
                mine = {look.arc_session[x] for x in look.arcs_of(t)}
            if not set(run) <= mine:
                cut.append(label)  # a part of a run they cannot sit in all of (a pass not attended)
                continue
        if (
            look.seated[s] + size > look.capacity[s]
            if run is None
            else any(look.seated[r] + size > look.capacity[r] for r in run)
        ):
            full.append(label)
        elif fill[s] + size > cap[s]:
            quota.append(label)
        else:
            free.append((look.arc_cost[e], label))
    pass_id = data.pass_ids[p]
    if free:
        cost, label = min(free)
        if cost <= data.unseated_cost and (data.rules.diversity or data.rules.parity):
            return Reason(
                "fairness-rule",
                f"a seat was free in seminar {label!r} in pass {pass_id!r}, but giving it "
                "would break a diversity or parity rule of the event",
            )
        return Reason(
            "cheaper-unseated",
            f"a seat was free in seminar {label!r} in pass {pass_id!r}, but it costs {cost} "
            f"under the objective against {data.unseated_cost} for no seat, and the "
            "allocation found did not use it",
        )
    parts = []
    if full:
        parts.append("full: " + ", ".join(sorted(set(full))))
    if quota:
        parts.append("organisation quota reached: " + ", ".join(sorted(set(quota))))
    if not parts and cut:
        return Reason(
            "no-session",
            f"the seminars open to the attendee in pass {pass_id!r} run in parts, and they cannot "
            f"sit in every part: {', '.join(sorted(set(cut)))}",
        )
    if not parts:
        return Reason(
            "no-session",
            f"every session open to the attendee in pass {pass_id!r} is a seminar they have in another pass",
        )
    return Reason(
        "full",
        f"every session open to the attendee in pass {pass_id!r} is taken ({'; '.join(parts)})",
    )
