"""Why an attendee has no seat in a pass.

Reasons are computed from the compiled event and the finished allocation, per
attendee-pass without a seat, and never mention other attendees.
"""

from __future__ import annotations

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
    by_type = np.argsort(data.arcs.type, kind="stable")  # the arcs of type t: by_type[start[t]:start[t + 1]]
    start = np.searchsorted(data.arcs.type[by_type], np.arange(data.n_types + 1)).tolist()

    runs = _runs(data)
    look = _Lookup(data, seated, org_fill, quota_cap)
    out: list[tuple[int, int, Reason]] = []
    for a, p in zip(*np.nonzero(session < 0), strict=True):
        a, p = int(a), int(p)
        t = int(data.members.type[a])
        pass_id = data.pass_ids[p]
        block = data.types.pass_block[t, p]
        if block == NOT_ATTENDING:
            reason = Reason("not-attending", f"the attendee does not attend pass {pass_id!r} (available)")
        elif waiting is not None and a in waiting:
            reason = Reason("not-admitted", f"not admitted: {waiting[a]}")
        elif not admitted[a]:
            org = data.organisation_ids[data.types.organisation[t]]
            reason = Reason("max-seats", f"organisation {org!r} has used all its seats (max_seats)")
        elif block == NO_SESSION:
            reason = Reason(
                "no-session",
                f"no session in pass {pass_id!r} is open to the attendee "
                "(seminars not offered, excluded or pinned to another pass)",
            )
        elif block == NEEDS:
            reason = Reason("needs", f"no room in pass {pass_id!r} has every feature the attendee needs")
        elif (session[a] >= 0).sum() >= data.types.max_sessions[t]:
            limit = int(data.types.max_sessions[t])
            reason = Reason(
                "max-sessions", f"the attendee has the {limit} session(s) they asked for (max_sessions)"
            )
        else:
            arcs = by_type[start[t] : start[t + 1]]
            reason = _busy_reason(data, look, a, p, t, arcs[is_open[data.arcs.session[arcs]]], session, runs)
        out.append((a, p, reason))
    return out


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
    """The arrays :func:`_busy_reason` reads one item at a time, as lists (a numpy item costs ten
    times a list's: 46 µs a place at 100,000 unique attendees), and the fill of each organisation."""

    def __init__(
        self,
        data: CompiledEvent,
        seated: NDArray[np.int64],
        org_fill: NDArray[np.int64],
        quota_cap: NDArray[np.int64],
    ) -> None:
        self.session_pass: list[int] = data.sessions.pass_.tolist()
        self.session_seminar: list[int] = data.sessions.seminar.tolist()
        self.capacity: list[int] = data.sessions.capacity.tolist()
        self.arc_session: list[int] = data.arcs.session.tolist()
        self.arc_cost: list[int] = data.arcs.cost.tolist()
        self.seated: list[int] = seated.tolist()
        self.org_fill, self.quota_cap = org_fill, quota_cap
        self._rows: dict[int, tuple[list[int], list[int]]] = {}

    def organisation(self, org: int) -> tuple[list[int], list[int]]:
        """The people of organisation ``org`` per session, and its quota there (-1: no organisation)."""
        if org not in self._rows:
            self._rows[org] = (self.org_fill[org].tolist(), self.quota_cap[org].tolist())
        return self._rows[org]


def _busy_reason(
    data: CompiledEvent,
    look: _Lookup,
    a: int,
    p: int,
    t: int,
    arcs: NDArray[np.int64],
    session: NDArray[np.int64],
    runs: dict[int, list[int]],
) -> Reason:
    org = int(data.types.organisation[t])
    size = int(data.types.size[t])
    fill, cap = look.organisation(org)
    elsewhere = {look.session_seminar[s] for s in session[a].tolist() if s >= 0}
    chosen = arcs.tolist()
    mine = {look.arc_session[e] for e in chosen}
    full, quota, free, cut = [], [], [], []
    for e in chosen:
        s = look.arc_session[e]
        j = look.session_seminar[s]
        if look.session_pass[s] != p or j in elsewhere:
            continue
        run = runs.get(s)  # a part is taken with its whole run: all its parts must have room
        label = data.seminar_ids[j]
        if run is not None and not set(run) <= mine:
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
