"""The LP of the type model built straight from the compiled arrays, for the rule families it knows.

Reading the LP back from the CP-SAT model (:func:`.bound.type_lp`) builds a
Python object per variable and constraint first: 4 s for 108,000 arcs, most
of a 10 s limit. Here the same rows are written as arrays, one function per
rule family, row for row as ``seatalloc.model`` states them and as the
read-back turns a guarded row into its big-M form (:func:`_guarded`): a whole
event (no seats held) with one seat per pass and per seminar, ``max_sessions``,
capacities, shared limits, organisation quotas per session and diversity
rules. Any other family present (admission, plans, pins, parties, parts,
clashes, parity, seat quotas, minimum attendance, re-solving, venue
itineraries) and :func:`linear_lp` returns None: the caller reads the model
back as before. A test solves both LPs on drawn events and finds the same
optimum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from seatalloc.compile import CompiledEvent
from seatalloc.solve.certificate import certifiable

IntArray = NDArray[np.int64]

#: What a row states, for a certificate (:class:`Labels`): a type's own rule (one seat per pass,
#: a seminar once, ``max_sessions``), a session's capacity, a shared limit, an organisation's
#: quota in a session, a mix's share of one value in a session (the row that holds whatever the
#: session's size), the session's size that share is of, or another rule (not priced).
OWN, CAPACITY, SHARED, QUOTA, MIX, SEATED, OTHER = range(7)


@dataclass(frozen=True)
class Labels:
    """Per row of the LP: its ``kind`` (:data:`CAPACITY`, ...), ``ref`` (the compiled session of a
    capacity row, the shared limit, the quota per session, the mix rule), ``session`` (a quota's,
    a mix's) and ``group`` (a mix row's value)."""

    kind: IntArray
    ref: IntArray
    session: IntArray
    group: IntArray


def covered(data: CompiledEvent) -> bool:
    """Whether every rule family of ``data`` is one this module writes (its attendees' own rules:
    those a certificate's itineraries read, :func:`~seatalloc.solve.certificate.certifiable`)."""
    types, rules = data.types, data.rules
    return certifiable(data) and not (
        data.soft_minimum
        or (data.sessions.minimum > 0).any()
        or (types.party >= 0).any()
        or len(rules.seat_quota_cap)
        or rules.party_ids
        or rules.parity
        or rules.parity_objective is not None
        or rules.clashes
    )


@dataclass
class _Rows:
    """Rows under construction; the seats' columns (one per arc, lower bound 0, at most
    ``seat_upper`` in any allocation) first, then the columns beyond them (``lower``, ``upper``)."""

    seat_upper: NDArray[np.float64]
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    row_lo: list[float] = field(default_factory=list)
    row_hi: list[float] = field(default_factory=list)
    row: list[IntArray] = field(default_factory=list)
    column: list[IntArray] = field(default_factory=list)
    value: list[NDArray[np.float64]] = field(default_factory=list)
    labels: list[IntArray] = field(default_factory=list)  # (kind, ref, session, group) per row, by call

    def add(
        self,
        columns: IntArray,
        values: NDArray[np.float64] | float,
        lo: float,
        hi: float,
        kind: int = OTHER,
        ref: int = -1,
        session: int = -1,
        group: int = -1,
    ) -> None:
        """Add the row ``lo <= sum(values x[columns]) <= hi``."""
        self.add_many(
            np.zeros(len(columns), dtype=np.int64),
            columns,
            values,
            np.array([lo]),
            np.array([hi]),
            kind,
            ref,
            session,
            group,
        )

    def add_many(
        self,
        row: IntArray,
        columns: IntArray,
        values: NDArray[np.float64] | float,
        lo: NDArray[np.float64],
        hi: NDArray[np.float64],
        kind: int = OTHER,
        ref: IntArray | int = -1,
        session: IntArray | int = -1,
        group: int = -1,
    ) -> None:
        """Add ``len(lo)`` rows at once: entry ``i`` is in row ``row[i]`` (0-based among them); each
        row labelled ``kind``, ``ref``, ``session`` and ``group`` (:class:`Labels`)."""
        k = len(lo)
        self.labels.append(
            np.stack(
                [np.broadcast_to(np.asarray(x, dtype=np.int64), (k,)) for x in (kind, ref, session, group)]
            )
        )
        self.row.append(np.asarray(row, dtype=np.int64) + len(self.row_lo))
        self.column.append(np.asarray(columns, dtype=np.int64))
        self.value.append(np.broadcast_to(np.asarray(values, dtype=float), (len(columns),)))
        self.row_lo.extend(np.asarray(lo, dtype=float).tolist())
        self.row_hi.extend(np.asarray(hi, dtype=float).tolist())

    def bounds(self, columns: IntArray) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return the lower and upper bounds of ``columns``."""
        seats = len(self.seat_upper)
        lower = np.zeros(len(columns))
        upper = self.seat_upper[np.minimum(columns, seats - 1)] if seats else np.zeros(len(columns))
        for i in np.flatnonzero(columns >= seats).tolist():
            lower[i], upper[i] = self.lower[columns[i] - seats], self.upper[columns[i] - seats]
        return lower, upper

    def new(self, lower: float, upper: float) -> int:
        """Add a column with these bounds; return its index."""
        self.lower.append(lower)
        self.upper.append(upper)
        return len(self.seat_upper) + len(self.lower) - 1

    def guarded(self, columns: IntArray, values: NDArray[np.float64], lo: float, hi: float, literal: int,
                positive: bool) -> None:  # fmt: skip
        """Add ``lo <= sum <= hi`` enforced when column ``literal`` is 1 (``positive``) or 0, in the
        big-M form the read-back gives it (``bound._linear``): valid for the literal's relaxed
        values, from the least and most the sum can be within its columns' bounds."""
        lower, upper = self.bounds(columns)
        least = float(np.where(values > 0, values * lower, values * upper).sum())
        most = float(np.where(values > 0, values * upper, values * lower).sum())
        for bound_hi, slack in ((True, most - hi), (False, lo - least)):
            if slack <= 0 or not math.isfinite(slack):
                continue
            sign = 1.0 if bound_hi else -1.0
            coeff = sign * slack if positive else -sign * slack
            limit = (hi + slack if bound_hi else lo - slack) if positive else (hi if bound_hi else lo)
            with_literal = _joined(columns, literal)
            both = _joined(values, coeff)
            if bound_hi:
                self.add(with_literal, both, -math.inf, limit)
            else:
                self.add(with_literal, both, limit, math.inf)


def linear_lp(data: CompiledEvent) -> tuple[tuple[Any, ...], int, Labels] | None:
    """Return the LP of ``data``'s type model (a ``bound.LinearProgram``), the objective's
    constant and what each row states, the seat of arc ``e`` in column ``e``; None when a rule
    family present is not one this module writes (:func:`covered`)."""
    if not covered(data):
        return None
    from scipy.sparse import csr_matrix

    arcs = data.arcs
    n = len(arcs.type)
    size = data.types.size[arcs.type]
    seat_upper = np.minimum(data.types.count[arcs.type], data.sessions.capacity[arcs.session] // size)
    rows = _Rows(seat_upper.astype(float))
    _assignment(data, rows)
    _capacity(data, rows)
    _shared_limits(data, rows)
    _session_quotas(data, rows)
    _diversity(data, rows)
    columns = n + len(rows.lower)
    objective = np.zeros(columns)
    objective[:n] = data.types.weight[arcs.type] * (arcs.cost - data.unseated_cost)
    empty = np.zeros(0, dtype=np.int64)
    matrix = csr_matrix(
        (
            np.concatenate(rows.value) if rows.value else np.zeros(0),
            (
                np.concatenate(rows.row) if rows.row else empty,
                np.concatenate(rows.column) if rows.column else empty,
            ),
        ),
        shape=(len(rows.row_lo), columns),
    )
    matrix.sum_duplicates()
    matrix.sort_indices()
    lower = _joined(np.zeros(n), rows.lower)
    # A seat's column up to its type's members: its room's capacity is the capacity row's (which
    # then carries the price a certificate states; the big-M forms still use the tighter end)
    upper = _joined(data.types.count[arcs.type].astype(float), rows.upper)
    lp = (objective, lower, upper, np.asarray(rows.row_lo), np.asarray(rows.row_hi), matrix)
    kind, ref, session, group = (
        np.concatenate(rows.labels, axis=1) if rows.labels else np.zeros((4, 0), dtype=np.int64)
    )
    return lp, int(data.wanted_weight * data.unseated_cost), Labels(kind, ref, session, group)


def _joined(*parts: Any) -> NDArray[Any]:
    """Return the arrays and numbers ``parts`` end to end (``np.r_`` without its indexing cost)."""
    return np.concatenate([np.atleast_1d(np.asarray(part)) for part in parts])


def _grouped(*keys: IntArray) -> tuple[IntArray, IntArray, int]:
    """Return each entry's group (0-based, in key order), the first entry of each group, and the
    number of groups (the keys are non-negative)."""
    if len(keys[0]) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 0
    key = np.zeros(len(keys[0]), dtype=np.int64)
    for column in keys:  # one integer per distinct row, in the same order
        key = key * (int(column.max()) + 1) + column
    _unique, first, group = np.unique(key, return_index=True, return_inverse=True)
    return group.reshape(-1).astype(np.int64), first.astype(np.int64), len(first)


def _assignment(data: CompiledEvent, rows: _Rows) -> None:
    """Per type and pass, seats up to its members; per type and seminar in several passes, too;
    per type, up to ``max_sessions`` per member where that is below the passes it can use
    (``model.assignment``)."""
    arcs, count = data.arcs, data.types.count
    arc_pass = data.sessions.pass_[arcs.session]
    e = np.arange(len(arcs.type))
    group, first, k = _grouped(arcs.type, arc_pass)
    hi = count[arcs.type[first]].astype(float)
    rows.add_many(group, e, 1.0, np.full(k, -math.inf), hi, OWN)
    # A seminar once: per (type, seminar) whose arcs are in more than one pass.
    arc_seminar = data.sessions.seminar[arcs.session]
    pair, pair_first, n_pairs = _grouped(arcs.type, arc_seminar)
    triple, triple_first, _ = _grouped(arcs.type, arc_seminar, arc_pass)
    passes = np.bincount(pair[triple_first], minlength=n_pairs)
    several = passes > 1
    keep = several[pair]
    renumber = np.cumsum(several) - 1
    rows.add_many(
        renumber[pair[keep]],
        e[keep],
        1.0,
        np.full(int(several.sum()), -math.inf),
        count[arcs.type[pair_first[several]]].astype(float),
        OWN,
    )
    # max_sessions: per type, at most limit x members seats where it has arcs in more passes.
    type_of_pass = arcs.type[first]  # (each (type, pass) group once)
    passes_per_type = np.bincount(type_of_pass, minlength=data.n_types)
    limited = data.types.max_sessions < passes_per_type
    keep = limited[arcs.type]
    renumber = np.cumsum(limited) - 1
    t = np.flatnonzero(limited)
    rows.add_many(
        renumber[arcs.type[keep]],
        e[keep],
        1.0,
        np.full(len(t), -math.inf),
        (data.types.max_sessions[t] * count[t]).astype(float),
        OWN,
    )


def _capacity(data: CompiledEvent, rows: _Rows) -> None:
    """People per session up to its room's capacity (``model.capacity``)."""
    arcs = data.arcs
    sessions = np.unique(arcs.session)
    # a session's capacity is its (one) candidate's, as the model reads it
    candidate = np.full(len(data.sessions.seminar), -1, dtype=np.int64)
    order = np.argsort(data.candidates.slot, kind="stable")
    slot = data.candidates.slot[order]
    firsts = _joined(True, slot[1:] != slot[:-1]) if len(slot) else np.zeros(0, dtype=bool)
    candidate[slot[firsts]] = order[firsts]
    capacity = data.candidates.capacity[candidate[sessions]].astype(float)
    rows.add_many(
        np.searchsorted(sessions, arcs.session),
        np.arange(len(arcs.type)),
        data.types.size[arcs.type].astype(float),
        np.full(len(sessions), -math.inf),
        capacity,
        CAPACITY,
        sessions,
    )


def _shared_limits(data: CompiledEvent, rows: _Rows) -> None:
    """People across the sessions of seminars that share a limit (``model.capacity``)."""
    arc_seminar = data.sessions.seminar[data.arcs.session]
    for i, (seminars, cap) in enumerate(
        zip(data.rules.shared_limit_seminars, data.rules.shared_limit_cap.tolist(), strict=True)
    ):
        mine = np.flatnonzero(np.isin(arc_seminar, seminars))
        rows.add(mine, data.types.size[data.arcs.type[mine]].astype(float), -math.inf, float(cap), SHARED, i)


def _session_quotas(data: CompiledEvent, rows: _Rows) -> None:
    """An organisation's people per session a quota matches (``model.quotas``)."""
    arcs = data.arcs
    arc_org = data.types.organisation[arcs.type]
    for i, (org, cap, sessions) in enumerate(
        zip(
            data.rules.session_quota_organisation.tolist(),
            data.rules.session_quota_cap.tolist(),
            data.rules.session_quota_sessions,
            strict=True,
        )
    ):
        mine = np.flatnonzero((arc_org == org) & np.isin(arcs.session, sessions))
        group, first, k = _grouped(arcs.session[mine])
        rows.add_many(
            group,
            mine,
            data.types.size[arcs.type[mine]].astype(float),
            np.full(k, -math.inf),
            np.full(k, cap),
            QUOTA,
            i,
            arcs.session[mine[first]],
        )


def _diversity(data: CompiledEvent, rows: _Rows) -> None:
    """Each diversity rule in every session with arcs, as ``model.diversity`` states it: whether
    it applies (a large enough session) a column in [0, 1], the rule's rows guarded by it, and
    the rows that keep it in the relaxation where the room is large enough."""
    arcs = data.arcs
    order = np.argsort(arcs.session, kind="stable")
    bounds = np.searchsorted(arcs.session[order], np.unique(arcs.session), side="left")
    by_session = np.split(order, bounds[1:]) if len(order) else []
    for i, rule in enumerate(data.rules.diversity):
        arc_group = data.types.group[arcs.type, rule.dim]
        min_size = rule.min_session_size
        for mine in by_session:
            s = int(arcs.session[mine[0]])
            ones = np.ones(len(mine))
            if rule.max_share >= 0:  # the session's size, a column of its own
                seated = rows.new(0.0, float(data.types.count[arcs.type[mine]].sum()))
                rows.add(_joined(seated, mine), _joined(1.0, -ones), 0.0, 0.0, SEATED, i, s)
                total, total_values = np.array([seated]), np.array([1.0])
            else:
                total, total_values = mine, ones
            applies = rows.new(0.0, 1.0)
            rows.guarded(total, total_values, float(min_size), math.inf, applies, True)
            rows.guarded(total, total_values, -math.inf, float(min_size - 1), applies, False)
            room = int(data.sessions.capacity[s])
            tight = room >= min_size
            if tight:
                rows.add(_joined(total, applies), _joined(total_values, -(room - min_size + 1)), -math.inf,
                         float(min_size - 1))  # fmt: skip
            present = []
            for g in np.unique(arc_group[mine]).tolist():
                if g < 0:
                    continue
                count = mine[arc_group[mine] == g]
                if rule.max_share >= 0:
                    share, small = round(rule.max_share * 100), min_size - 1
                    both = _joined(count, total)
                    if not (tight and small == 0):  # (else the row below states it outright)
                        rows.guarded(both, _joined(np.full(len(count), 10_000.0), -share * total_values),
                                     -math.inf, 0.0, applies, True)  # fmt: skip
                    if tight:
                        rows.add(
                            _joined(both, applies),
                            _joined(
                                np.full(len(count), 10_000.0), -share * total_values, (10_000 - share) * small
                            ),
                            -math.inf,
                            float((10_000 - share) * small),
                            MIX,
                            i,
                            s,
                            g,
                        )
                if rule.max_seats >= 0:
                    rows.guarded(count, np.ones(len(count)), -math.inf, float(rule.max_seats), applies, True)
                if rule.min_distinct > 0:
                    here = rows.new(0.0, 1.0)
                    rows.add(_joined(count, here), _joined(np.ones(len(count)), -1.0), 0.0, math.inf)
                    present.append(here)
            if rule.min_distinct > 0:
                rows.guarded(np.asarray(present, dtype=np.int64), np.ones(len(present)),
                             float(rule.min_distinct), math.inf, applies, True)  # fmt: skip
