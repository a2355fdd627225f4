"""The bound a certificate's prices prove, recomputed from the event alone.

A :class:`~seatalloc.schema.allocation.Certificate` prices rules that couple
attendees: a session's capacity, an organisation's quota in a session, a
shared limit, a mix rule's share of one value in a session (in the form
that holds whatever the session's size: ``n(value) - share x n(all) <=
(1 - share) x (min_session_size - 1)``). For any prices of at least 0 and any valid allocation, the
total cost is at least

    the sum over attendees of the cheapest itinerary at priced costs
    - the sum over priced rules of price x the rule's limit,

where an attendee's itinerary is a seat or none in each pass they attend,
no seminar twice (each part of a seminar in parts counted apart), at most
``max_sessions`` seats, only in sessions they may take (listed when
``only_listed``, not excluded, a room with their needs), and a seat costs
what it costs them plus the prices of the rules it counts in, times their
size (a mix's once: the rule counts attendees). Every valid allocation's
seats are such itineraries and fill each rule within its limit, so each
price's share is at most what it adds. The rules not priced (a mix's
``max_seats`` or ``min_distinct``, pins, parties, clashes, admission, ...) are left out,
which can only lower the cheapest itineraries. Costs are this checker's own
(``check.prices``), never the solver's arrays.

An attendee's cheapest itinerary is an assignment of passes to seminars
with at most ``max_sessions`` seats, where the cheapest seat of each pass
does not already do. Each pass's cheapest few seminars suffice (as many as
there are passes); up to :data:`ENUMERATED` passes every combination of
those is tried (plain Python: ``check`` loads neither numpy nor SciPy
there, whose import would take longer than checking S1), beyond that
SciPy's ``linear_sum_assignment`` solves it.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field

from seatalloc.check.prices import Prices
from seatalloc.schema.allocation import Certificate
from seatalloc.schema.event import Event
from seatalloc.schema.records import Attendee

#: Attendees of at most this many passes with seats worth taking have their cheapest itinerary found
#: by trying every combination of each pass's cheapest seminars (64 at 3 passes).
ENUMERATED = 3

#: Taken off the recomputed value before rounding it up (floating point in the sums).
TOLERANCE = 1e-9

#: A seminar's part: (seminar, part), what "no seminar twice" counts.
Part = tuple[str, int]
Session = tuple[str, str, str]


@dataclass
class _Priced:
    """The event's sessions with the certificate's prices, and the constant its limits give."""

    event: Event
    prices: Prices
    by_pass: dict[str, list[tuple[Session, Part]]] = field(default_factory=dict)
    by_seminar: defaultdict[str, list[tuple[Session, Part]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    price: defaultdict[Session, float] = field(default_factory=lambda: defaultdict(float))
    # a mix's prices: per session, on everyone (by attendee, not size) and per (attribute, value)
    everyone: defaultdict[Session, float] = field(default_factory=lambda: defaultdict(float))
    member: defaultdict[tuple[Session, str, str], float] = field(default_factory=lambda: defaultdict(float))
    quota: defaultdict[tuple[str, Session], float] = field(default_factory=lambda: defaultdict(float))
    features: dict[str, frozenset[str]] = field(default_factory=dict)
    constant: float = 0.0
    problems: list[str] = field(default_factory=list)

    def values_of(self, a: Attendee) -> list[tuple[str, str]]:
        """``a``'s (attribute, value) in each mix rule's attribute where it has one."""
        found = ((rule.attribute, a.group(rule.attribute)) for rule in self.event.diversity)
        return [(attribute, value) for attribute, value in found if value is not None]


def certify(event: Event, certificate: Certificate) -> tuple[int | None, list[str]]:
    """Return the bound ``certificate``'s prices prove on ``event``'s total cost, and the problems
    found: a price below 0 or on a rule the event does not have (named), or a stated bound above
    the one recomputed. None when the prices cannot be read (a planned event: its sessions are the
    allocation's own)."""
    if event.planned:
        return None, [
            "certificate: the sessions of a planned event are the allocation's, so its prices are not checked"
        ]
    priced = _read(event, certificate)
    if priced.problems:
        return None, priced.problems
    total = priced.constant
    cache: dict[tuple[object, ...], float] = {}
    for attendee in event.attendees:
        key = _signature(attendee)
        value = cache.get(key)
        if value is None:
            value = cache[key] = _cheapest(priced, attendee)
        total += value
    if not math.isfinite(total):
        return None, ["certificate: its prices are too large to add up to a bound"]
    bound = max(0, math.ceil(total - TOLERANCE * max(1.0, abs(total))))
    if bound < certificate.bound:
        return bound, [
            f"certificate: its prices prove a bound of {bound}, not the {certificate.bound} it states"
        ]
    return bound, []


def _read(event: Event, certificate: Certificate) -> _Priced:
    """The event's sessions and the certificate's prices on them, each price checked."""
    priced = _Priced(event, Prices(event), features={r.id: frozenset(r.features) for r in event.rooms})
    rooms = {r.id: r.capacity for r in event.rooms}
    most = {m.id: m.max_attendance for m in event.seminars}
    capacity: dict[Session, int] = {}
    for seminar, pass_id, room, part in event.candidate_parts():
        session = (seminar, pass_id, room)
        cap = rooms[room] if most.get(seminar) is None else min(rooms[room], most[seminar] or 0)
        capacity[session] = cap
        priced.by_pass.setdefault(pass_id, []).append((session, (seminar, part)))
        priced.by_seminar[seminar].append((session, (seminar, part)))

    def usable(price: float, what: str) -> bool:
        if math.isfinite(price) and price >= 0:
            return True
        priced.problems.append(f"certificate: the price of {what} is {price}, not a number of at least 0")
        return False

    for s in certificate.sessions:
        session = (s.seminar, s.pass_, s.room)
        what = f"session {s.seminar!r} in pass {s.pass_!r}, room {s.room!r}"
        if session not in capacity:
            priced.problems.append(f"certificate: prices {what}, which is not a session of the event")
        elif usable(s.price, what):
            priced.price[session] += s.price
            priced.constant -= s.price * capacity[session]
    for q in certificate.quotas:
        session = (q.seminar, q.pass_, q.room)
        what = f"quota {q.quota} in session {q.seminar!r}, pass {q.pass_!r}, room {q.room!r}"
        quota = event.quotas[q.quota] if q.quota < len(event.quotas) else None
        if quota is None or quota.max_per_session is None:
            priced.problems.append(
                f"certificate: prices {what}, which is not a quota per session of the event"
            )
        elif (
            session not in capacity
            or quota.seminar not in (None, q.seminar)
            or quota.pass_ not in (None, q.pass_)
        ):
            priced.problems.append(f"certificate: prices {what}, a session the quota does not cap")
        elif usable(q.price, what):
            priced.quota[(quota.organisation, session)] += q.price
            priced.constant -= q.price * quota.max_per_session
    for lim in certificate.shared_limits:
        what = f"shared limit {lim.limit}"
        if lim.limit >= len(event.shared_limits):
            priced.problems.append(f"certificate: prices {what}, which the event does not have")
        elif usable(lim.price, what):
            limit = event.shared_limits[lim.limit]
            for seminar in set(limit.seminars):
                for session, _part in priced.by_seminar.get(seminar, ()):
                    priced.price[session] += lim.price
            priced.constant -= lim.price * limit.max_seats
    for mix in certificate.mixes:
        session = (mix.seminar, mix.pass_, mix.room)
        what = (
            f"mix rule {mix.rule} for {mix.value!r} in session {mix.seminar!r}, pass {mix.pass_!r}, "
            f"room {mix.room!r}"
        )
        rule = event.diversity[mix.rule] if mix.rule < len(event.diversity) else None
        if rule is None or rule.max_share is None:
            priced.problems.append(
                f"certificate: prices {what}, which is not a mix rule of max_share of the event"
            )
        elif session not in capacity:
            priced.problems.append(f"certificate: prices {what}, which is not a session of the event")
        elif usable(mix.price, what):
            share = rule.max_share / 100
            priced.everyone[session] -= mix.price * share
            priced.member[(session, rule.attribute, mix.value)] += mix.price
            priced.constant -= mix.price * (1 - share) * (rule.min_session_size - 1)
    return priced


def _signature(a: Attendee) -> tuple[object, ...]:
    """What an attendee's cheapest itinerary depends on (attendees alike share it)."""
    return (
        tuple(a.choices),
        tuple(sorted(a.costs.items())) if a.costs else None,
        tuple(sorted(a.scores.items())) if a.scores else None,
        a.organisation,
        a.size,
        a.history.score if a.history else 0,
        None if a.available is None else tuple(a.available),
        a.max_sessions,
        tuple(sorted(a.needs)),
        tuple(sorted(a.excluded)),
        tuple(sorted(a.attributes.items())),
    )


def _cheapest(priced: _Priced, a: Attendee) -> float:
    """Return ``a``'s cheapest itinerary at priced costs (see the module's docstring)."""
    event, objective = priced.event, priced.event.objective
    weight, unseated = objective.weight(a), objective.unseated_cost
    attended = [p.id for p in event.passes if a.attends(p.id)]
    seats = len(attended) if a.max_sessions is None else min(len(attended), a.max_sessions)
    features = priced.features
    mixed = priced.values_of
    needs, excluded = frozenset(a.needs), frozenset(a.excluded)
    # per pass: each seminar part's cheapest seat, where it is worth taking (below 0)
    options: dict[str, dict[Part, float]] = {p: {} for p in attended}
    for pass_id in attended:
        here = options[pass_id]
        for session, part in priced.by_pass.get(pass_id, ()):
            seminar, _pass, room = session
            if seminar in excluded or not needs <= features[room]:
                continue
            cost = priced.prices.of(a, seminar)
            if cost is None:
                continue
            gain = weight * (cost - unseated) + a.size * (
                priced.price[session] + priced.quota.get((a.organisation or "", session), 0.0)
            )
            if priced.member or priced.everyone:  # (a mix counts attendees, whatever their size)
                gain += priced.everyone.get(session, 0.0) + sum(
                    priced.member.get((session, attribute, value), 0.0) for attribute, value in mixed(a)
                )
            if gain < here.get(part, 0.0):
                here[part] = gain
    return weight * unseated * seats + _assigned(options, seats)


def _assigned(options: dict[str, dict[Part, float]], seats: int) -> float:
    """Return the least sum of gains taking at most one part per pass, each part once, at most
    ``seats`` in all: the best of each pass when those differ and fit, else an assignment."""
    best = [min(here.items(), key=lambda item: item[1]) for here in options.values() if here]
    if len({part for part, _ in best}) == len(best) and len(best) <= seats:
        return float(sum(gain for _, gain in best))
    rows = [here for here in options.values() if here]
    if len(rows) <= ENUMERATED:
        return _enumerated(rows, seats)
    from scipy.optimize import linear_sum_assignment

    parts = sorted({part for here in rows for part in here})
    n, m = len(rows), len(parts)
    gains = [[here.get(part, 0.0) for part in parts] for here in rows]  # 0: no seat in that pass
    if seats < min(n, m):
        # at most `seats` seats: the k-cardinality assignment as a square one (dummy rows take the
        # parts left over, dummy columns the passes left without a seat)
        gains = [row + [0.0] * (n - seats) for row in gains]
        gains += [[0.0] * m + [math.inf] * (n - seats) for _ in range(m - seats)]
    chosen = zip(*(indices.tolist() for indices in linear_sum_assignment(gains)), strict=True)
    return float(sum(gains[i][j] for i, j in chosen if i < n and j < m))


def _enumerated(rows: list[dict[Part, float]], seats: int) -> float:
    """Return the least sum of gains of ``rows`` (per pass, its parts' gains) by trying every
    choice of one of each pass's ``len(rows)`` cheapest parts or none, each part once, at most
    ``seats`` parts."""
    n = len(rows)
    firsts = [sorted(here.items(), key=lambda item: item[1])[:n] + [(None, 0.0)] for here in rows]
    least = 0.0
    for combination in itertools.product(*firsts):
        parts = [part for part, _ in combination if part is not None]
        if len(parts) <= seats and len(set(parts)) == len(parts):
            least = min(least, sum(gain for _, gain in combination))
    return least
