"""Audit an allocation for fairness: who got what, per group, and who would swap.

Works from the event and the allocation alone (like the checker), so it can
audit any allocation, also one made by another tool. Groups of fewer than
``MIN_GROUP`` attendees are suppressed: their name is listed, their figures
are not, so a report never singles out a person.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
from pydantic import Field

from seatalloc.check.belongs import ensure_belongs
from seatalloc.check.checker import seated_by_session
from seatalloc.explain.places import ABSENT, UNRANKED, IntArray, Places
from seatalloc.schema.allocation import Allocation, Assignment
from seatalloc.schema.base import Record
from seatalloc.schema.event import Event

MIN_GROUP = 5


class GroupProfile(Record):
    """The outcomes of one group: an organisation or one value of an attribute."""

    dimension: str = Field(description="'organisation' or the attribute name.")
    value: str = Field(description="The organisation id or attribute value.")
    attendees: int | None = Field(description="Group size; None when suppressed.")
    profile: dict[str, int] | None = Field(description="Attendee-passes per outcome; None when suppressed.")
    first_choice_share: float | None = Field(description="Share of attendee-passes given a first choice.")
    first_choice_attendees: float | None = Field(
        None, description="Share of attendees given their first choice in some pass."
    )


class Gap(Record):
    """The largest first-choice share gap between two groups of one dimension."""

    dimension: str
    high: str
    low: str
    points: float = Field(description="Difference in percentage points.")


class SessionMix(Record):
    """How mixed one session is in one dimension."""

    seminar: str
    pass_: str = Field(alias="pass")
    room: str
    dimension: str
    seated: int
    distinct: int = Field(description="Distinct values among the seated.")
    largest_share: float = Field(description="Share of the most common value.")


class Audit(Record):
    """Fairness figures of an allocation. Aggregates only."""

    profile: dict[str, int] = Field(description="Attendee-passes per outcome, overall.")
    worst_outcome: str = Field(description="The worst outcome any attendee-pass got.")
    worst_count: int = Field(description="How many attendee-passes got it.")
    groups: tuple[GroupProfile, ...]
    gaps: tuple[Gap, ...]
    sessions: tuple[SessionMix, ...] = Field(description="Mix per session (sessions of 5 or more).")
    envious: int = Field(
        description="Attendee-passes that rank a seminar someone else has in that pass higher "
        "and could sit there."
    )
    swap_pairs: int = Field(description="Disjoint pairs who would both gain by swapping seats in one pass.")

    def to_text(self) -> str:
        """Return the audit as a short report."""
        lines = [
            "rank profile: " + ", ".join(f"{k} {v}" for k, v in self.profile.items()),
            f"worst outcome: {self.worst_outcome} ({self.worst_count} attendee-passes)",
        ]
        for g in self.groups:
            if g.profile is None:
                lines.append(f"  {g.dimension} {g.value}: fewer than {MIN_GROUP}, suppressed")
            else:
                lines.append(
                    f"  {g.dimension} {g.value}: {g.attendees} attendees, first choice in some pass "
                    f"{g.first_choice_attendees:.1%}, per attendee-pass {g.first_choice_share:.1%}, "
                    + ", ".join(f"{k} {v}" for k, v in g.profile.items())
                )
        for gap in self.gaps:
            if gap.points == 0:
                lines.append(f"first-choice share by {gap.dimension}: equal in every group")
            else:
                lines.append(
                    f"largest first-choice gap by {gap.dimension}: {gap.high} vs {gap.low}, "
                    f"{gap.points:.1f} points"
                )
        lines.append(f"envious attendee-passes: {self.envious}; mutually improving swaps: {self.swap_pairs}")
        return "\n".join(lines)


def dimensions(event: Event) -> list[str]:
    """The fairness dimensions: 'organisation' when any attendee has one, then the attributes."""
    dims = ["organisation"] if any(a.organisation for a in event.attendees) else []
    return dims + sorted({k for a in event.attendees for k in a.attributes})


def audit(event: Event, allocation: Allocation) -> Audit:
    """Compute the fairness audit of ``allocation`` for ``event``.

    Parameters
    ----------
    event
        The event.
    allocation
        Any allocation of it (valid or not).

    Returns
    -------
    Audit

    Raises
    ------
    InputError
        The allocation does not belong to the event.
    """
    ensure_belongs(event, allocation)
    seat = {(x.attendee, x.pass_): x for x in allocation.assignments}
    places = Places.of(event, allocation)
    profile = outcome_counts(event, places)
    order = list(profile)
    worst = next((k for k in reversed(order) if profile[k]), order[0])
    groups, gaps = group_profiles(event, places)
    envious, swaps = _envy(event, allocation, seat)
    return Audit(
        profile=profile,
        worst_outcome=worst,
        worst_count=profile[worst],
        groups=tuple(groups),
        gaps=tuple(gaps),
        sessions=_mix(event, allocation),
        envious=envious,
        swap_pairs=swaps,
    )


def _outcomes(event: Event, places: Places) -> tuple[list[str], IntArray]:
    """The outcome keys in order ('1', '2', ..., 'unranked', 'unseated') and each place's outcome
    as an index into them; ``len(order)`` for a pass the attendee does not attend (counted in none)."""
    widest = max((len(a.choices) for a in event.attendees), default=0)
    order = [*(str(r) for r in range(1, 1 + widest)), "unranked", "unseated"]
    rank = places.rank
    outcome = np.where(
        rank >= 0, rank, np.where(rank == UNRANKED, widest, np.where(rank == ABSENT, widest + 2, widest + 1))
    )
    return order, outcome


def outcome_counts(event: Event, places: Places) -> dict[str, int]:
    """Attendee-passes per outcome, every outcome key in order."""
    order, outcome = _outcomes(event, places)
    counts = np.bincount(outcome.ravel(), minlength=len(order) + 1)[: len(order)]
    return dict(zip(order, counts.tolist(), strict=True))


def group_profiles(event: Event, places: Places) -> tuple[list[GroupProfile], list[Gap]]:
    """Every group's profile, in each dimension's sorted order (figures suppressed under
    :data:`MIN_GROUP`), and the largest first-choice gap per dimension."""
    order, outcome = _outcomes(event, places)
    width = len(order) + 1  # the last column: passes not attended, dropped
    lucky = places.first_any()
    groups, gaps = [], []
    for dim in dimensions(event):
        ids: dict[str, int] = {}
        code = np.fromiter(
            (-1 if (v := a.group(dim)) is None else ids.setdefault(v, len(ids)) for a in event.attendees),
            dtype=np.int64,
            count=len(event.attendees),
        )
        inside = code >= 0
        size = np.bincount(code[inside], minlength=len(ids))
        some = np.bincount(code[inside], weights=lucky[inside], minlength=len(ids))
        cells = (code[inside, None] * width + outcome[inside]).ravel()
        counts = np.bincount(cells, minlength=len(ids) * width).reshape(len(ids), width)[:, :-1]
        shares = {}
        for value in sorted(ids):
            g, n = ids[value], int(size[ids[value]])
            if n < MIN_GROUP:
                groups.append(
                    GroupProfile(
                        dimension=dim, value=value, attendees=None, profile=None, first_choice_share=None
                    )
                )
                continue
            first = int(counts[g, 0]) if order[0] == "1" else 0
            attended = int(counts[g].sum())
            shares[value] = first / attended if attended else 0.0
            groups.append(
                GroupProfile(
                    dimension=dim,
                    value=value,
                    attendees=n,
                    profile=dict(zip(order, counts[g].tolist(), strict=True)),
                    first_choice_share=shares[value],
                    first_choice_attendees=float(some[g]) / n,
                )
            )
        if len(shares) >= 2:
            high = max(shares, key=lambda v: shares[v])
            low = min(shares, key=lambda v: shares[v])
            gaps.append(Gap(dimension=dim, high=high, low=low, points=100 * (shares[high] - shares[low])))
    return groups, gaps


def _mix(event: Event, allocation: Allocation) -> tuple[SessionMix, ...]:
    seated = seated_by_session(event, allocation)
    rows = []
    for (seminar, pass_id, room), people in sorted(seated.items()):
        if len(people) < MIN_GROUP:
            continue
        for dim in dimensions(event):
            values = Counter(v for v in (p.group(dim) for p in people) if v is not None)
            rows.append(
                SessionMix(
                    seminar=seminar,
                    pass_=pass_id,
                    room=room,
                    dimension=dim,
                    seated=len(people),
                    distinct=len(values),
                    largest_share=max(values.values(), default=0) / len(people),
                )
            )
    return tuple(rows)


def _envy(event: Event, allocation: Allocation, seat: dict[tuple[str, str], Assignment]) -> tuple[int, int]:
    """Count envious attendee-passes and disjoint mutually improving swaps."""
    rooms = {r.id: r for r in event.rooms}
    taken: defaultdict[str, set[tuple[str, str]]] = defaultdict(set)  # pass -> {(seminar, room)}
    for x in allocation.assignments:
        taken[x.pass_].add((x.seminar, x.room))
    envious = 0
    wants: Counter[tuple[str, tuple[str, str], tuple[str, str]]] = Counter()
    for a in event.attendees:
        mine = {seat[(a.id, p.id)].seminar for p in event.passes if (a.id, p.id) in seat}
        for p in event.passes:
            own = seat.get((a.id, p.id))
            rank = a.choices.index(own.seminar) if own and own.seminar in a.choices else len(a.choices)
            better = set(a.choices[:rank]) - mine - set(a.excluded)
            targets = [
                (j, r) for j, r in taken[p.id] if j in better and set(a.needs) <= set(rooms[r].features)
            ]
            if targets:
                envious += 1
                if own is not None:
                    for target in targets:
                        wants[(p.id, (own.seminar, own.room), target)] += 1
    swaps = 0
    for (pass_id, here, there), count in wants.items():
        if here < there:
            swaps += min(count, wants.get((pass_id, there, here), 0))
    return envious, swaps


__all__ = ["MIN_GROUP", "Audit", "GroupProfile", "audit"]
