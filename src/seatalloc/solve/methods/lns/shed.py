"""Make seats valid fast: unseat the seats that break a limit, then seat people where nothing breaks.

The search may start from the flow method's seats of the plain relaxation,
which know no quotas or mixes. Every limit across attendees that caps a
count (a room's capacity, an organisation's quota per session, a shared
limit, a mix's share or seats per value) is kept by taking seats away:
in each session over a limit, the seats that cost least to lose (the
attendees' lowest choices) go first. Taking a seat from the value over a
mix's share lowers its share, and a session below the mix's size is out of
its scope, so this always ends. Then, type by type in a seeded order, each
member left without a seat in a pass gets the cheapest session of that pass
that breaks no limit. Both steps are plain loops over counters, linear in
the seats they touch: a valid allocation in a second where repairing by
sub-events took minutes on 10,000 unique attendees with a county mix.

Types with pins or required seminars and no seat yet are seated one member
at a time, those seats first (:meth:`Shed.seat_own`); sessions below their
minimum are filled by moves (:meth:`Shed.fill_minimums`); admission admits
one member at a time (:meth:`Shed.admit`). What taking seats cannot keep
(at least so many values in a mix, parity, parties, and the seats of a type
with pins or required seminars once it has some) is left to the repairing
sub-events: the seats of such types are not taken away, and what is still
broken is measured by :mod:`.violations`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import cached_property

import numpy as np

from seatalloc.arrays import by_value, distinct, numbered
from seatalloc.compile import NOT_ATTENDING, CompiledEvent
from seatalloc.solve.methods.lns.state import Incumbent
from seatalloc.solve.methods.lns.violations import POINTS, limits, misfits

#: Types seated again between two looks at the clock (100,000 take about 3 s).
CHECK_TYPES = 2_000
#: Rounds of :meth:`Shed.seat_levels` at most, each over the types still short of seats: a round's
#: one arc per type and level leaves seats another round can give.
LEVEL_ROUNDS = 4


def _never() -> None:
    """A clock that never runs out."""


def sheddable(data: CompiledEvent) -> bool:
    """Whether seats can be taken away one member at a time without breaking a type's own rules."""
    return not data.admits and not data.itineraries and not data.rules.parity


def admissible(data: CompiledEvent) -> bool:
    """Whether members can be admitted one at a time, each seated in every pass, without breaking
    a type's own rules."""
    return data.admits and not data.itineraries and not data.rules.parity


def fillable(data: CompiledEvent) -> bool:
    """Whether seats can be filled greedily (:func:`shed_and_seat`) and
    rounded from an LP (:func:`rounded`)."""
    return sheddable(data) or admissible(data)


def may_move(data: CompiledEvent) -> np.ndarray:
    """Per arc, whether its seats may go or come one member at a time: not pinned in their pass,
    not a party's, no required seminars."""
    types, arcs = data.types, data.arcs
    arc_pass = data.sessions.pass_[arcs.session]
    required = np.array([bool(r) for r in types.required], dtype=bool)
    unpinned = (types.fixed[arcs.type, arc_pass] < 0) & (types.party[arcs.type] < 0)
    free: np.ndarray = unpinned & ~required[arcs.type]
    return free


class Layout:
    """What the counters need to know of an event's arcs, computed once per event when asked
    (a sweep rounds a hundred parts of one event: 0.3 s each on 1.2 million arcs)."""

    def __init__(self, data: CompiledEvent) -> None:
        self.data = data

    @cached_property
    def arc_pass(self) -> np.ndarray:
        return self.data.sessions.pass_[self.data.arcs.session]

    @cached_property
    def arc_seminar(self) -> np.ndarray:
        return self.data.sessions.seminar[self.data.arcs.session]

    @cached_property
    def passes(self) -> list[int]:
        """The pass of each arc, as a list (read one arc at a time)."""
        passes: list[int] = self.arc_pass.tolist()
        return passes

    @cached_property
    def seminars(self) -> list[int]:
        """The seminar of each arc, as a list."""
        seminars: list[int] = self.arc_seminar.tolist()
        return seminars

    @cached_property
    def by_type(self) -> Grouped:
        """The arcs of each type."""
        return Grouped(self.data.arcs.type, self.data.n_types)

    @cached_property
    def by_session(self) -> Grouped:
        """The arcs of each session."""
        return Grouped(self.data.arcs.session, len(self.data.sessions.seminar))

    @cached_property
    def movable(self) -> np.ndarray:
        """:func:`may_move`, per arc."""
        return may_move(self.data)


class Shed:
    """Counters of people and seats per session and per limit, kept as seats change."""

    def __init__(
        self,
        data: CompiledEvent,
        state: Incumbent,
        check: Callable[[], None] = _never,
        layout: Layout | None = None,
    ):
        self.data, self.state, self.check = data, state, check
        self.layout = layout = layout or Layout(data)
        n = len(data.sessions.seminar)
        types, arcs = data.types, data.arcs
        self.size = types.size[arcs.type]
        self.capacity, self.minimum = limits(data, state.open)
        seated = np.flatnonzero(state.seats)  # (the counts below over these alone: none at the start)
        on, seats = arcs.session[seated], state.seats[seated]
        people = seats * self.size[seated]
        self.people = np.bincount(on, weights=people, minlength=n).astype(np.int64)
        self.seats = np.bincount(on, weights=seats, minlength=n).astype(np.int64)
        self.free = layout.movable.copy()
        self.barred = misfits(data, state.open)  # in a room without what the type needs
        self.arc_pass, self.arc_seminar, self.seminar = layout.arc_pass, layout.arc_seminar, layout.seminars
        self.by_type = layout.by_type
        # Session quotas: (quota, session) -> cap and people of that organisation there.
        self.quota_of: list[list[int]] = [[] for _ in range(n)]
        org = data.rules.session_quota_organisation.tolist()
        self.quota_cap = data.rules.session_quota_cap.tolist()
        self.quota_people: dict[tuple[int, int], int] = {}
        arc_org = types.organisation[arcs.type]
        for q, sessions in enumerate(data.rules.session_quota_sessions):
            mine = arc_org[seated] == org[q]
            in_session = np.bincount(on[mine], weights=people[mine], minlength=n)
            for s in sessions.tolist():
                self.quota_of[s].append(q)
                self.quota_people[q, s] = int(in_session[s])
        self.quota_org = org
        self.arc_org = arc_org
        # Shared limits: the limits over each session's seminar, and their people.
        self.shared_of: list[list[int]] = [[] for _ in range(n)]
        self.shared_cap = data.rules.shared_limit_cap.tolist()
        self.shared_people = [0] * len(self.shared_cap)
        for k, seminars in enumerate(data.rules.shared_limit_seminars):
            inside = np.flatnonzero(np.isin(data.sessions.seminar, seminars))
            self.shared_people[k] = int(self.people[inside].sum())
            for s in inside.tolist():
                self.shared_of[s].append(k)
        # Mixes: seats per (session, value) for each diversity rule.
        self.mixes = []
        for rule in data.rules.diversity:
            group = types.group[arcs.type, rule.dim]
            counts = np.zeros((n, len(data.groups.names[rule.dim])), dtype=np.int64)
            valued = group[seated] >= 0
            np.add.at(counts, (on[valued], group[seated][valued]), seats[valued])
            self.mixes.append((rule, group, counts))
        self.mixed = True  # whether seats given keep the mixes (:func:`rounded` gives some first without)

    # -- taking seats away --------------------------------------------------------------------

    def _take(self, e: int) -> None:
        s, size = int(self.data.arcs.session[e]), int(self.size[e])
        self.state.seats[e] -= 1
        self.people[s] -= size
        self.seats[s] -= 1
        for q in self.quota_of[s]:
            if self.arc_org[e] == self.quota_org[q]:
                self.quota_people[q, s] -= size
        for k in self.shared_of[s]:
            self.shared_people[k] -= size
        for _rule, group, counts in self.mixes:
            if group[e] >= 0:
                counts[s, group[e]] -= 1

    def _cheapest_to_lose(self, arcs: np.ndarray, rng: np.random.Generator) -> list[int]:
        """The seated, free arcs of ``arcs``, the ones that cost least to lose first."""
        arcs = arcs[(self.state.seats[arcs] > 0) & self.free[arcs]]
        arcs = arcs[rng.permutation(len(arcs))]
        loss = self.data.unseated_cost - self.data.arcs.cost[arcs]
        order: list[int] = arcs[np.argsort(loss, kind="stable")].tolist()
        return order

    def _shed(self, arcs: np.ndarray, excess: int, rng: np.random.Generator) -> int:
        """Take seats of ``arcs``, cheapest to lose first, until ``excess`` people are gone; return
        the people taken."""
        taken = 0
        for e in self._cheapest_to_lose(arcs, rng):
            while self.state.seats[e] > 0 and taken < excess:
                self._take(e)
                taken += int(self.size[e])
            if taken >= excess:
                break
        return taken

    def shed(self, rng: np.random.Generator) -> None:
        """Take seats away until no limit that taking seats can keep is broken."""
        data, layout = self.data, self.layout
        if not self.state.seats.any():
            return  # nothing to take (the sessions grouped below took a second on 12 million arcs)
        for e in np.flatnonzero(self.barred & self.free & (self.state.seats > 0)).tolist():
            while self.state.seats[e] > 0:
                self._take(e)
        by_session = layout.by_session
        for s in np.flatnonzero(self.people > self.capacity).tolist():
            self._shed(by_session[s], int(self.people[s] - self.capacity[s]), rng)
        for (q, s), people in list(self.quota_people.items()):
            if people > self.quota_cap[q]:
                arcs = by_session[s][self.arc_org[by_session[s]] == self.quota_org[q]]
                self._shed(arcs, people - self.quota_cap[q], rng)
        for k, seminars in enumerate(data.rules.shared_limit_seminars):
            if self.shared_people[k] > self.shared_cap[k]:
                inside = np.flatnonzero(np.isin(data.sessions.seminar, seminars))
                arcs = np.concatenate([by_session[s] for s in inside.tolist()])
                self._shed(arcs, self.shared_people[k] - self.shared_cap[k], rng)
        for rule, group, counts in self.mixes:
            for s in range(len(data.sessions.seminar)):
                value = self._over_mix(rule, counts, s)
                while value >= 0:  # one seat of the value most over its share at a time
                    if not self._shed(by_session[s][group[by_session[s]] == value], 1, rng):
                        break  # nothing of that value may go: left to the repair
                    value = self._over_mix(rule, counts, s)

    def _over_mix(self, rule: object, counts: np.ndarray, s: int) -> int:
        """Return the value most over ``rule``'s share or seats in session ``s``, -1 when none."""
        total = int(self.seats[s])
        if total < rule.min_session_size:  # type: ignore[attr-defined]
            return -1
        row = counts[s]
        if row.size == 0:  # an attribute nobody has a value of
            return -1
        value = int(row.argmax())
        top = int(row[value])
        share, most = rule.max_share, rule.max_seats  # type: ignore[attr-defined]
        if share >= 0 and top * 10_000 > round(share * POINTS) * total:
            return value
        if most >= 0 and top > most:
            return value
        return -1

    # -- seating again ------------------------------------------------------------------------

    def _fits(self, e: int) -> bool:
        """Whether one more member on arc ``e`` breaks no limit it kept (in a session whose mix is
        broken already, a member of another value mends it, so only its own value counts)."""
        s, size = int(self.data.arcs.session[e]), int(self.size[e])
        if self.people[s] + size > self.capacity[s] or self.barred[e]:
            return False
        for q in self.quota_of[s]:
            if self.arc_org[e] == self.quota_org[q] and self.quota_people[q, s] + size > self.quota_cap[q]:
                return False
        for k in self.shared_of[s]:
            if self.shared_people[k] + size > self.shared_cap[k]:
                return False
        total = int(self.seats[s]) + 1
        for rule, group, counts in self.mixes if self.mixed else ():
            if total < rule.min_session_size:
                # Below the rule's size, each value within its share of that size: the session
                # can still grow into the rule (three of one value in seven would stop it at 7).
                mine = int(counts[s, group[e]]) + 1 if group[e] >= 0 else 0
                if (
                    rule.max_share >= 0
                    and mine * 10_000 > round(rule.max_share * POINTS) * rule.min_session_size
                ):
                    return False
                if rule.max_seats >= 0 and mine > rule.max_seats:
                    return False
                continue
            row = counts[s].copy()
            if group[e] >= 0:
                row[group[e]] += 1
            # Entering the rule's scope, every value counts; within it, the value added.
            top = (
                int(row.max(initial=0))
                if total == rule.min_session_size or group[e] < 0
                else int(row[group[e]])
            )
            if rule.max_share >= 0 and top * 10_000 > round(rule.max_share * POINTS) * total:
                return False
            if rule.max_seats >= 0 and top > rule.max_seats:
                return False
            if total == rule.min_session_size and 0 < rule.min_distinct > int((row > 0).sum()):
                return False
        return True

    def _give(self, e: int) -> None:
        s, size = int(self.data.arcs.session[e]), int(self.size[e])
        self.state.seats[e] += 1
        self.people[s] += size
        self.seats[s] += 1
        for q in self.quota_of[s]:
            if self.arc_org[e] == self.quota_org[q]:
                self.quota_people[q, s] += size
        for k in self.shared_of[s]:
            self.shared_people[k] += size
        for _rule, group, counts in self.mixes:
            if group[e] >= 0:
                counts[s, group[e]] += 1

    def seat_levels(self, rng: np.random.Generator) -> np.ndarray | None:
        """Seat members, cost level by cost level (every first choice, then every second, ...), in
        numpy: at each level each type takes at most one arc per pass and per seminar, as many
        members as it still needs there, in a seeded order per session while its capacity and
        its organisation's quota there last. Return the types that may still get a seat (short
        of seats, with an arc to a session with room), for :meth:`seat_again`, whose loop over
        a million types took 34 s; None when the event has rules this cannot count (a mix, a
        shared limit, two quotas over one seat): nothing was given then."""
        data = self.data
        if self.mixes or self.shared_cap:
            return None
        arcs, types = data.arcs, data.types
        cells = self._quota_cells()
        if cells is None:
            return None
        cell, cell_left, cell_of = cells
        n_passes = data.n_passes
        keys, where = numbered(arcs.type * len(data.seminar_ids) + self.arc_seminar)
        seats = self.state.seats
        held_seminar = np.bincount(where, weights=seats, minlength=len(keys)).astype(np.int64)
        held_pass = np.bincount(
            arcs.type * n_passes + self.arc_pass, weights=seats, minlength=data.n_types * n_passes
        ).astype(np.int64)
        held = np.bincount(arcs.type, weights=seats, minlength=data.n_types).astype(np.int64)
        members = self.state.admitted  # (fewer than its members where a seat quota may leave some out)
        most = members * np.minimum(types.max_sessions, n_passes)
        size = self.size
        usable = self.free & ~self.barred & (arcs.cost < data.unseated_cost)
        n_sessions = len(self.capacity)
        by_level = by_value(arcs.cost, np.flatnonzero(usable))

        def with_room(e: np.ndarray) -> np.ndarray:  # the arcs ``e`` that could take a member more
            e = e[held[arcs.type[e]] < most[arcs.type[e]]]  # (the cheap test first: fewer for the rest)
            t, session = arcs.type[e], arcs.session[e]
            fits = (self.people[session] + size[e] <= self.capacity[session]) & (
                held_pass[t * n_passes + self.arc_pass[e]] < members[t]
            )
            fits &= held_seminar[where[e]] < members[t]
            if len(cell_left):
                fits &= (cell[e] < 0) | (cell_left[np.maximum(cell[e], 0)] >= size[e])
            fitting: np.ndarray = e[fits]
            return fitting

        for round_ in range(LEVEL_ROUNDS):  # again: what the earlier rounds' conservative counts left
            if round_:  # (room only shrinks: an arc without it is left out for good)
                by_level = with_room(by_level)
            levels = arcs.cost[by_level]
            bounds = np.flatnonzero(np.r_[True, levels[1:] != levels[:-1], True])
            given = 0
            for start, end in itertools.pairwise(bounds.tolist()):
                self.check()
                e = by_level[start:end]
                t = arcs.type[e]
                tp = t * n_passes + self.arc_pass[e]
                amount = np.minimum.reduce(
                    [
                        members[t] - held_pass[tp],
                        members[t] - held_seminar[where[e]],
                        most[t] - held[t],
                    ]
                )
                e, t, tp, amount = e[amount > 0], t[amount > 0], tp[amount > 0], amount[amount > 0]
                order = rng.permutation(len(e))
                e, t, tp, amount = e[order], t[order], tp[order], amount[order]
                keep = _first_of_each(t)  # one arc per type: one per pass and seminar too
                e, t, tp, amount = e[keep], t[keep], tp[keep], amount[keep]
                session = arcs.session[e]
                people = amount * size[e]
                ok = _prefix_fits(session, people, self.capacity - self.people)
                q = cell[e]
                quota = q >= 0
                ok[quota] &= _prefix_fits(q[quota], people[quota], cell_left)
                e, t, tp, amount, people, session, q = (x[ok] for x in (e, t, tp, amount, people, session, q))
                # (one arc per type: no index twice below, but sessions and cells repeat)
                seats[e] += amount
                self.people += np.bincount(session, weights=people, minlength=n_sessions).astype(np.int64)
                self.seats += np.bincount(session, weights=amount, minlength=n_sessions).astype(np.int64)
                quota = q >= 0
                cell_left -= np.bincount(q[quota], weights=people[quota], minlength=len(cell_left)).astype(
                    np.int64
                )
                held_pass[tp] += amount
                held_seminar[where[e]] += amount
                held[t] += amount
                given += len(e)
            if not given:
                break
        for (q, s), room_left in zip(cell_of, cell_left.tolist(), strict=True):
            self.quota_people[q, s] = self.quota_cap[q] - room_left
        # what is left: types short of seats with an arc to a session, and cell, with room
        return distinct(arcs.type[with_room(by_level)])

    def _quota_cells(self) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]] | None:
        """Per arc, the cell (quota, session) whose cap its seats count against (-1: none), the
        people each cell still allows, and each cell's quota and session; None when a seat
        counts against two."""
        data = self.data
        n = len(data.sessions.seminar)
        cell = np.full(len(data.arcs.type), -1, dtype=np.int64)
        left: list[int] = []
        cells: list[tuple[int, int]] = []
        for q, sessions in enumerate(data.rules.session_quota_sessions):
            local = np.full(n, -1, dtype=np.int64)
            local[sessions] = np.arange(len(sessions)) + len(left)
            mine = (self.arc_org == self.quota_org[q]) & (local[data.arcs.session] >= 0)
            if (cell[mine] >= 0).any():
                return None
            cell[mine] = local[data.arcs.session[mine]]
            for s in sessions.tolist():
                left.append(self.quota_cap[q] - self.quota_people[q, s])
                cells.append((q, s))
        return cell, np.array(left, dtype=np.int64), cells

    def seat_again(
        self, rng: np.random.Generator, preference: np.ndarray | None = None, types: np.ndarray | None = None
    ) -> None:
        """Seat members without a seat in a pass in the cheapest session there that breaks nothing
        (with ``preference``, a value per arc: on the arcs it values at least a half, largest first),
        members of every type or of ``types``. With a mix, again while seats are given: a member of
        one value can make room under the share for a member of another seen before."""
        while self._seat_round(rng, preference, types) and self.mixes:
            pass

    def _seat_round(
        self, rng: np.random.Generator, preference: np.ndarray | None, types: np.ndarray | None
    ) -> bool:
        """One round of :meth:`seat_again` over the types; return whether it gave a seat."""
        given = False
        data, seats = self.data, self.state.seats
        order = data.arcs.cost if preference is None else -preference
        arc_pass = self.layout.passes
        by_type = self.by_type
        cheaper = data.arcs.cost < data.unseated_cost
        for i, t in enumerate(rng.permutation(data.n_types if types is None else types).tolist()):
            if i % CHECK_TYPES == 0:
                self.check()
            arcs = by_type[t]
            arcs = arcs[self.free[arcs] & cheaper[arcs]]
            if preference is not None:
                arcs = arcs[preference[arcs] >= 0.5]
            if len(arcs) == 0:
                continue
            count = int(self.state.admitted[t])
            # the type's seats per pass and per seminar, counted in plain Python (12 arcs a type)
            in_pass: dict[int, int] = {}
            in_seminar: dict[int, int] = {}
            held = 0
            for e, n in zip(by_type[t].tolist(), seats[by_type[t]].tolist(), strict=True):
                in_pass[arc_pass[e]] = in_pass.get(arc_pass[e], 0) + n
                in_seminar[self.seminar[e]] = in_seminar.get(self.seminar[e], 0) + n
                held += n
            room = count * int(min(data.types.max_sessions[t], data.n_passes)) - held
            for e in arcs[np.argsort(order[arcs], kind="stable")].tolist():
                if room <= 0:
                    break
                p, j = arc_pass[e], self.seminar[e]
                while room > 0 and in_pass[p] < count and in_seminar[j] < count and self._fits(e):
                    self._give(e)
                    room -= 1
                    in_pass[p] += 1
                    in_seminar[j] += 1
                    given = True
        return given

    def seat_own(self, rng: np.random.Generator) -> None:
        """Seat the members of types with pinned passes or required seminars (not in a party),
        those without any seat yet, in a seeded order, one member at a time: the pinned seats
        and one seat of each required seminar first (or none at all for that member), then the
        cheapest seat that breaks nothing in each other pass, in seminars of its own."""
        data = self.data
        types = data.types
        own = np.array([bool(r) for r in types.required], dtype=bool) | (types.fixed >= 0).any(axis=1)
        own &= types.party < 0
        held = np.bincount(data.arcs.type, weights=self.state.seats, minlength=data.n_types)
        for t in rng.permutation(np.flatnonzero(own & (held == 0))).tolist():
            arcs = self.by_type[t]
            arcs = arcs[np.argsort(data.arcs.cost[arcs], kind="stable")].tolist()
            for _member in range(int(self.state.admitted[t])):
                if not self._seat_member(t, arcs):
                    break  # a member like it would not fit either: left to the repair

    def _seat_member(self, t: int, arcs: list[int]) -> bool:
        """Seat one member of type ``t`` on ``arcs`` (cheapest first) as :meth:`seat_own` does;
        return whether its pins and required seminars were kept (else nothing is given)."""
        data, passes = self.data, self.layout.passes
        pinned = data.types.fixed[t]
        given: list[int] = []
        in_pass: set[int] = set()
        in_seminar: set[int] = set()

        def give(e: int) -> None:
            self._give(e)
            given.append(e)
            in_pass.add(passes[e])
            in_seminar.add(self.seminar[e])

        def first(p_wanted: int, j_wanted: int) -> int | None:
            """The first arc that fits in pass ``p_wanted`` and seminar ``j_wanted`` (-1: any
            but a pinned pass's), in a pass and a seminar the member has no seat in yet."""
            for e in arcs:
                p, j = passes[e], self.seminar[e]
                if p in in_pass or j in in_seminar or (p_wanted >= 0 and p != p_wanted):
                    continue
                if j_wanted >= 0 and j != j_wanted:
                    continue
                if j_wanted < 0 and (pinned[p] >= 0 or int(data.arcs.cost[e]) >= data.unseated_cost):
                    continue
                if self._fits(e):
                    return e
            return None

        musts = [(p, int(j)) for p, j in enumerate(pinned.tolist()) if j >= 0]
        musts += [(-1, j) for j in data.types.required[t]]
        for p, j in musts:
            if p < 0 and j in in_seminar:
                continue  # a required seminar pinned too
            e = first(p, j)
            if e is None:
                for e in given:
                    self._take(e)
                return False
            give(e)
        most = int(min(data.types.max_sessions[t], data.n_passes))
        while len(given) < most:
            e = first(-1, -1)
            if e is None:
                break
            give(e)
        return True

    # -- minimum attendance -------------------------------------------------------------------

    def fill_minimums(self, rng: np.random.Generator) -> None:
        """Bring sessions that run below their minimum up to it with members of the same pass
        moved in, the cheapest moves first, from sessions that stay at or above theirs, or seated
        there when they had no seat in that pass."""
        data = self.data
        by_session = self.layout.by_session
        by_type = self.by_type
        short = (self.people < self.minimum) & (self.capacity > 0)
        for s in rng.permutation(np.flatnonzero(short)).tolist():
            self.check()
            moves: list[tuple[int, int, int]] = []  # (cost, arc in, arc out or -1: no seat)
            for e in by_session[s][self.free[by_session[s]]].tolist():
                t = int(data.arcs.type[e])
                mine = by_type[t]
                here = mine[(self.arc_pass[mine] == self.arc_pass[e]) & (self.state.seats[mine] > 0)]
                moves.append((int(data.arcs.cost[e]) - data.unseated_cost, e, -1))
                moves += [(int(data.arcs.cost[e] - data.arcs.cost[o]), e, o) for o in here.tolist() if o != e]
            for _cost, e, o in sorted(moves):
                if self.people[s] >= self.minimum[s]:
                    break
                if not self._may_enter(e, o):
                    continue
                if o >= 0:
                    self._take(o)
                if self._fits(e):
                    self._give(e)
                elif o >= 0:
                    self._give(o)

    def _may_enter(self, e: int, o: int) -> bool:
        """Whether a member of arc ``e``'s type may take a seat on ``e``, leaving arc ``o`` in the
        same pass (-1: from no seat there), by the type's own rules and the minimum of ``o``'s
        session."""
        data, seats = self.data, self.state.seats
        t = int(data.arcs.type[e])
        count, mine = int(self.state.admitted[t]), self.by_type[t]
        if o >= 0:
            donor = int(data.arcs.session[o])
            if seats[o] == 0 or not self.free[o] or self.people[donor] - self.size[o] < self.minimum[donor]:
                return False
        else:
            in_pass = int(seats[mine[self.arc_pass[mine] == self.arc_pass[e]]].sum())
            seated = int(seats[mine].sum())
            if in_pass >= count or seated >= count * int(data.types.max_sessions[t]):
                return False
        in_seminar = int(seats[mine[self.arc_seminar[mine] == self.arc_seminar[e]]].sum())
        return in_seminar < count

    # -- admitting ---------------------------------------------------------------------------

    def admit(
        self, rng: np.random.Generator, preference: np.ndarray | None = None, types: np.ndarray | None = None
    ) -> None:
        """Admit members of each type (or of ``types``), in a seeded order, up to those the
        admission rule chose: each one seated in every pass they attend, in distinct seminars, the cheapest
        (with ``preference``, a value per arc: the most valued) that break nothing, or not
        admitted. Types with pinned or party seats or required seminars are left to the repairing
        sub-events."""
        data = self.data
        arc_pass = self.layout.passes
        by_type = self.by_type
        org_people = self._seat_quota_people()
        order = data.arcs.cost if preference is None else -preference
        attended = (data.types.pass_block != NOT_ATTENDING).sum(axis=1)
        for i, t in enumerate(rng.permutation(data.n_types if types is None else types).tolist()):
            if i % CHECK_TYPES == 0:
                self.check()
            arcs = by_type[t]
            if len(arcs) == 0 or not self.free[arcs].all():
                continue
            options: dict[int, list[int]] = {}
            for e in arcs[np.lexsort((data.arcs.cost[arcs], order[arcs]))].tolist():
                options.setdefault(arc_pass[e], []).append(e)
            if len(options) < attended[t]:
                continue  # not seatable in every pass it attends
            passes = sorted(options, key=lambda p: len(options[p]))  # the fewest options first
            org, size = int(data.types.organisation[t]), int(data.types.size[t])
            while self.state.admitted[t] < data.types.chosen[t]:
                if org in org_people and org_people[org][0] + size > org_people[org][1]:
                    break
                if not self._itinerary([options[p] for p in passes]):
                    break  # a member like it would not fit either
                self.state.admitted[t] += 1
                if org in org_people:
                    org_people[org][0] += size

    def _seat_quota_people(self) -> dict[int, list[int]]:
        """Per organisation with a seat quota: its people admitted and its cap."""
        data, out = self.data, {}
        for org, cap in zip(
            data.rules.seat_quota_organisation.tolist(), data.rules.seat_quota_cap.tolist(), strict=True
        ):
            mine = data.types.organisation == org
            out[org] = [int((self.state.admitted[mine] * data.types.size[mine]).sum()), cap]
        return out

    def _itinerary(self, options: list[list[int]]) -> bool:
        """Seat one member in one arc of each list of ``options`` (a pass's, cheapest first), in
        distinct seminars, breaking nothing; return whether it did (else nothing is given)."""
        fitting = [[e for e in arcs if self._fits(e)] for arcs in options]
        return all(fitting) and self._seat_each(fitting, set())

    def _seat_each(self, options: list[list[int]], seminars: set[int]) -> bool:
        """Give one arc of each list, in seminars not in ``seminars``, trying the next arc where
        the lists after fail (a limit across passes, or a seminar taken)."""
        if not options:
            return True
        for e in options[0]:
            j = self.seminar[e]
            if j in seminars or not self._fits(e):
                continue
            self._give(e)
            if self._seat_each(options[1:], seminars | {j}):
                return True
            self._take(e)
        return False


def shed_and_seat(
    data: CompiledEvent,
    state: Incumbent,
    rng: np.random.Generator,
    check: Callable[[], None] = _never,
    layout: Layout | None = None,
) -> Incumbent:
    """Return ``state``'s seats made to keep every limit that caps a count, then filled again
    and sessions below their minimum filled by moves; with admission, members admitted (each
    seated in every pass) where nothing breaks, as :meth:`Shed.admit` does (calling ``check``,
    which raises when the time is up, every :data:`CHECK_TYPES` types)."""
    out = state.copy()
    work = Shed(data, out, check, layout)
    if data.admits:
        work.admit(rng)
        return out
    work.shed(rng)
    work.seat_own(rng)
    wanting = work.seat_levels(rng)
    work.seat_again(rng, types=wanting)
    if data.sessions.minimum.any():
        work.fill_minimums(rng)
    return out


def rounded(
    data: CompiledEvent,
    state: Incumbent,
    values: np.ndarray,
    rng: np.random.Generator,
    types: np.ndarray | None = None,
    layout: Layout | None = None,
) -> Incumbent:
    """Return seats rounded from fractional ``values`` per arc (an LP's), every limit kept: each
    type (of ``types``, the others keep their seats) takes the arcs the values give it at least
    half a seat on, largest first, where nothing breaks; then the members left without a seat are
    seated as :func:`shed_and_seat` does."""
    out = state.copy()
    layout = layout or Layout(data)
    chosen = np.ones(data.n_types, dtype=bool) if types is None else np.isin(np.arange(data.n_types), types)
    move = layout.movable
    if data.admits:  # a type is admitted again only when none of its seats is pinned
        chosen &= np.bincount(data.arcs.type[~move], minlength=data.n_types) == 0
        out.admitted[chosen] = 0
    out.seats[move & chosen[data.arcs.type]] = 0  # pinned and party seats stay
    work = Shed(data, out, layout=layout)
    work.free &= chosen[data.arcs.type]  # the others' seats stay as they are
    if data.admits:
        work.admit(rng, preference=values, types=np.flatnonzero(chosen))
        return out
    work.shed(rng)
    # The LP's seats meet the mixes as a whole, not in the order they come: taken first as if
    # there were none, then shed where a mix breaks (a session at exactly its share, filled in
    # a random order, would stop at the first seat over it: 212 of 7,909 seats on the county mix).
    work.mixed = False
    work.seat_again(rng, preference=values, types=types)
    work.mixed = True
    work.shed(rng)
    work.seat_again(rng, types=types)
    return out


def _first_of_each(group: np.ndarray) -> np.ndarray:
    """The positions of the first item of each group, in order (without sorting)."""
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    position = np.arange(len(group))
    first = np.full(int(group.max()) + 1, len(group), dtype=np.int64)
    np.minimum.at(first, group, position)
    return np.flatnonzero(first[group] == position)


def _prefix_fits(group: np.ndarray, amount: np.ndarray, room: np.ndarray) -> np.ndarray:
    """Per item, whether the items of its ``group`` up to it, in the order given, take at most the
    group's ``room``."""
    order = by_value(group, np.arange(len(group)))
    g, a = group[order], amount[order]
    total = np.cumsum(a)
    start = np.searchsorted(g, g)  # each group's first item, in sorted order
    before = np.concatenate([[0], total])[start]
    fits = np.empty(len(group), dtype=bool)
    fits[order] = total - before <= room[g]
    return fits


class Grouped:
    """Indices of keys grouped by key 0..n-1: ``grouped[k]`` the positions of key ``k``, in order.
    Keys already sorted (the arcs by type) need no sort and no array per group: each is a range,
    made when asked (a list of 1,000,000 arrays took 2.7 s)."""

    def __init__(self, keys: np.ndarray, n: int) -> None:
        ordered = bool((keys[1:] >= keys[:-1]).all())
        self.order = None if ordered else np.argsort(keys, kind="stable")
        self.bounds = np.searchsorted(
            keys if self.order is None else keys[self.order], np.arange(n + 1)
        ).tolist()

    def __len__(self) -> int:
        return len(self.bounds) - 1

    def __getitem__(self, k: int) -> np.ndarray:
        start, end = self.bounds[k], self.bounds[k + 1]
        return np.arange(start, end, dtype=np.int64) if self.order is None else self.order[start:end]
