"""Rule families, and which methods honour each: the one place that says so.

Every rule an event can state belongs to a family here, named by the schema
fields that express it. A method honours a family only when this table
lists it, so a new family is unsupported by every method until someone says
otherwise (a test checks that every field of the schema is either plain, and
honoured by every method, or claimed by a family).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from seatalloc.compile import NOT_ATTENDING, CompiledEvent

#: Schema fields every method honours: passes, rooms with capacities and features, seminars
#: and their fixed sessions, ranked or priced preferences, needs, pins, exclusions and the passes
#: each attendee attends.
PLAIN_FIELDS = frozenset(
    {
        "name",
        "passes",
        "passes.id",
        "passes.start",
        "passes.end",
        "rooms",
        "rooms.id",
        "rooms.venue",
        "rooms.capacity",
        "rooms.features",
        "seminars",
        "seminars.id",
        "seminars.title",
        "seminars.max_attendance",
        "sessions",
        "sessions.seminar",
        "sessions.pass",
        "sessions.room",
        "organisations",
        "organisations.id",
        "organisations.name",
        "attendees",
        "attendees.id",
        "attendees.organisation",
        "attendees.name",  # contact fields: rosters only, never part of a decision
        "attendees.email",
        "attendees.contact",
        "attendees.choices",
        "attendees.costs",
        "attendees.scores",
        "attendees.needs",
        "attendees.fixed",
        "attendees.excluded",
        "attendees.attributes",
        "attendees.available",
        "attendees.history",  # a record: how it counts is objective.history_weight's family
        "attendees.registered",
        "objective",
        "objective.kind",
        "objective.tie_break",
        "objective.rank_costs",
        "objective.unranked_cost",
        "objective.only_listed",
        "objective.unseated_cost",
        "respond_by",  # read by a response round, before any method runs
    }
)


@dataclass(frozen=True)
class Family:
    """A family of rules: its name, the schema fields that state it, how to see it, who honours it.

    ``{kind}`` in the name stands for the objective kind.
    """

    name: str
    fields: tuple[str, ...]
    present: Callable[[CompiledEvent], bool]
    methods: frozenset[str]


def _lexicographic(data: CompiledEvent) -> bool:
    return data.objective_kind not in ("rank-cost", "value-leximin")


FAMILIES: tuple[Family, ...] = (
    Family(
        "objective {kind}",
        ("objective.kind", "objective.parity_attribute", "objective.parity_top"),
        _lexicographic,
        frozenset({"cp-sat", "lns"}),
    ),
    Family(
        "objective 'value-leximin'", (), lambda d: d.objective_kind == "value-leximin", frozenset({"cp-sat"})
    ),
    Family("clashes", ("clashes",), lambda d: bool(d.rules.clashes), frozenset({"cp-sat"})),
    Family(
        "sessions planned by the optimiser",
        ("seminars.runs", "seminars.optional", "passes.min_sessions", "different_pass", "same_pass"),
        lambda d: d.planned,
        frozenset({"cp-sat", "lns"}),
    ),
    Family("venue rules", ("venue_moves",), lambda d: d.itineraries, frozenset({"cp-sat", "lns"})),
    Family(
        "admission",
        ("seat_limit", "reserves", "registration_deadline", "admission"),
        lambda d: d.admits,
        frozenset({"cp-sat", "lns"}),
    ),
    Family("re-solving", (), lambda d: d.resolving, frozenset({"cp-sat"})),
    Family(
        "parties",
        ("parties", "attendees.party", "attendees.size"),
        lambda d: bool((d.types.size != 1).any() or (d.types.party >= 0).any()),
        frozenset({"cp-sat", "lns"}),
    ),
    Family(
        "required seminars",
        ("attendees.required",),
        lambda d: any(d.types.required),
        frozenset({"cp-sat", "lns"}),
    ),
    Family(
        "max_sessions",
        ("attendees.max_sessions",),
        lambda d: bool((d.types.max_sessions < (d.types.pass_block != NOT_ATTENDING).sum(axis=1)).any()),
        frozenset({"cp-sat", "lns"}),
    ),
    Family(
        "organisation quotas",
        ("quotas",),
        lambda d: len(d.rules.session_quota_cap) + len(d.rules.seat_quota_cap) > 0,
        frozenset({"cp-sat", "lns"}),
    ),
    Family(
        "shared limits",
        ("shared_limits",),
        lambda d: len(d.rules.shared_limit_cap) > 0,
        frozenset({"cp-sat", "lns"}),
    ),
    Family(
        "minimum attendance",
        ("seminars.min_attendance", "sessions.min_attendance"),
        lambda d: bool((d.sessions.minimum > 0).any()),
        frozenset({"cp-sat", "lns"}),
    ),
    Family(
        "parity rules",
        ("parity",),
        lambda d: bool(d.rules.parity) or d.rules.parity_objective is not None,
        frozenset({"cp-sat", "lns"}),
    ),
    Family(
        "diversity rules", ("diversity",), lambda d: bool(d.rules.diversity), frozenset({"cp-sat", "lns"})
    ),
    Family(
        "priority classes",
        ("attendees.priority",),
        lambda d: len(np.unique(d.types.priority)) > 1,
        frozenset({"cp-sat", "lns"}),
    ),
    Family("a move limit", (), lambda d: d.max_moves is not None, frozenset({"cp-sat"})),
    Family(
        "history weights",
        ("objective.history_weight",),
        lambda d: bool((d.types.weight != 1).any()),
        frozenset({"cp-sat"}),
    ),
    Family(
        "seminars in several parts",
        ("seminars.parts",),
        lambda d: bool((d.sessions.part > 0).any()),
        frozenset({"cp-sat"}),
    ),
)


def unsupported(data: CompiledEvent, method: str) -> str | None:
    """Return the rule families of ``data`` that ``method`` does not honour, in words, or None."""
    kind = repr(data.objective_kind)
    missing = [f.name.format(kind=kind) for f in FAMILIES if method not in f.methods and f.present(data)]
    return ", ".join(missing) if missing else None
