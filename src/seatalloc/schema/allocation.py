"""The allocation: the public output schema.

The keys ``status``, ``objective``, ``bound``, ``assignments``, ``unseated``
and ``stats`` are a public contract. Every attendee appears exactly once per
pass: in ``assignments`` when seated, in ``unseated`` with a reason otherwise;
attendees who were not admitted are also in ``waitlist`` with their place.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from itertools import repeat
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, ClassVar, Literal

from pydantic import ConfigDict, Field, TypeAdapter

from seatalloc.schema.base import Document, Record
from seatalloc.schema.records import Id

if TYPE_CHECKING:
    from seatalloc.schema.event import Event

Status = Literal["optimal", "feasible", "infeasible", "unknown"]

UnseatedCode = Literal[
    "no-session",
    "needs",
    "full",
    "max-seats",
    "max-sessions",
    "cheaper-unseated",
    "fairness-rule",
    "infeasible",
    "no-solution",
    "not-admitted",
    "not-attending",
    "declined",
    "lapsed",
]

WaitlistCode = Literal[
    "event-full", "reserve-full", "cannot-seat", "late", "not-yet-registered", "declined", "lapsed"
]
MoveCode = Literal["improved", "needed"]


# Assignments and unseated entries number in the millions at scale: they are
# frozen, slotted dataclasses (about five times cheaper to create than models)
# that pydantic still validates, serialises and describes in the JSON Schema.
_ROW_CONFIG = ConfigDict(
    extra="forbid", validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
)


@dataclass(frozen=True, slots=True)
class Assignment:
    """One attendee seated in one session."""

    __pydantic_config__ = _ROW_CONFIG

    attendee: Annotated[Id, Field(description="Attendee id.")]
    pass_: Annotated[Id, Field(alias="pass", description="Pass id.")]
    seminar: Annotated[Id, Field(description="Seminar id.")]
    room: Annotated[Id, Field(description="Room id.")]


@dataclass(frozen=True, slots=True)
class Unseated:
    """One attendee without a seat in one pass, and why."""

    __pydantic_config__ = _ROW_CONFIG

    attendee: Annotated[Id, Field(description="Attendee id.")]
    pass_: Annotated[Id, Field(alias="pass", description="Pass id.")]
    code: Annotated[UnseatedCode, Field(description="Machine-readable reason.")]
    reason: Annotated[str, Field(description="The reason in words.")]


#: Places without a seat that share a pass, a code and a reason are written as one
#: :class:`UnseatedGroup` from this many on (a row each below it).
COMPACT_FROM = 1000


@dataclass(frozen=True, slots=True)
class UnseatedGroup:
    """Many attendees without a seat in one pass for one reason: the compact form of their rows in
    ``unseated`` (the same place in each, for each attendee listed)."""

    __pydantic_config__ = _ROW_CONFIG

    pass_: Annotated[Id, Field(alias="pass", description="Pass id.")]
    code: Annotated[UnseatedCode, Field(description="Machine-readable reason.")]
    reason: Annotated[str, Field(description="The reason in words.")]
    attendees: Annotated[tuple[Id, ...], Field(description="Attendee ids, each unseated in the pass.")]

    def rows(self) -> Iterator[Unseated]:
        """The group as rows of ``unseated``."""
        for attendee in self.attendees:
            yield Unseated(attendee, self.pass_, self.code, self.reason)


def compact(
    places: Sequence[tuple[Id, Id, UnseatedCode, str]],
) -> tuple[tuple[Unseated, ...], tuple[UnseatedGroup, ...]]:
    """Return ``unseated`` and ``unseated_groups`` for (attendee, pass, code, reason) places: a
    group for each pass, code and reason shared by :data:`COMPACT_FROM` places or more, in the order
    first met; a row for each other place, in the given order."""
    shared: dict[tuple[Id, UnseatedCode, str], list[Id]] = {}
    for attendee, pass_, code, reason in places:
        shared.setdefault((pass_, code, reason), []).append(attendee)
    many = {key for key, who in shared.items() if len(who) >= COMPACT_FROM}
    if not many:
        return tuple(Unseated(*place) for place in places), ()
    rows = tuple(Unseated(*place) for place in places if place[1:] not in many)
    return rows, tuple(UnseatedGroup(*key, tuple(shared[key])) for key in shared if key in many)


@dataclass(frozen=True, slots=True)
class WaitlistEntry:
    """One registered attendee who was not admitted, and why."""

    __pydantic_config__ = _ROW_CONFIG

    attendee: Annotated[Id, Field(description="Attendee id.")]
    position: Annotated[
        int | None,
        Field(description="Place in the queue, 1 first; none when refused or not yet registered."),
    ]
    code: Annotated[WaitlistCode, Field(description="Machine-readable reason.")]
    reason: Annotated[str, Field(description="The reason in words.")]


@dataclass(frozen=True, slots=True)
class Move:
    """One attendee-pass whose seat changed since the published allocation."""

    __pydantic_config__ = _ROW_CONFIG

    attendee: Annotated[Id, Field(description="Attendee id.")]
    pass_: Annotated[Id, Field(alias="pass", description="Pass id.")]
    from_seminar: Annotated[Id, Field(description="Seminar in the published allocation.")]
    from_room: Annotated[Id, Field(description="Room in the published allocation.")]
    to_seminar: Annotated[Id | None, Field(description="Seminar now; none when the seat was lost.")]
    to_room: Annotated[Id | None, Field(description="Room now; none when the seat was lost.")]
    code: Annotated[MoveCode, Field(description="improved: a better choice; needed: the rules forced it.")]
    reason: Annotated[str, Field(description="The reason in words.")]


class SessionFill(Record):
    """How full one session is."""

    seminar: Id
    pass_: Id = Field(alias="pass")
    room: Id
    seated: int = Field(ge=0, description="Attendees seated.")
    capacity: int = Field(
        ge=0,
        description="The most that may be seated: the room's capacity, or the seminar's max_attendance "
        "when that is smaller.",
    )


class Stats(Record):
    """Figures about the allocation, recomputable from it."""

    attendees: int = Field(ge=0, description="Number of attendees.")
    types: int = Field(ge=0, description="Groups of interchangeable attendees the model used.")
    choice_counts: dict[str, int] = Field(
        description=(
            "Attendee-passes by outcome: '1' for a first choice, '2' for a second, ..., "
            "'unranked' and 'unseated'."
        )
    )
    sessions: tuple[SessionFill, ...] = Field(description="Fill of every session.")


class StageResult(Record):
    """One stage of a lexicographic objective, optimised with earlier stages fixed."""

    name: str = Field(description="What the stage optimises, e.g. 'most at choice 1'.")
    status: Literal["optimal", "feasible"] = Field(description="optimal when the value is proven.")
    value: int = Field(description="The value reached.")
    bound: int = Field(description="The best value possible given the earlier stages.")


#: What kind of rule a conflict or a change names (:class:`Rule`).
RuleCode = Literal[
    "pinned",
    "confirmed",
    "required",
    "max-sessions",
    "capacity",
    "minimum",
    "shared-limit",
    "session-quota",
    "seat-quota",
    "mix",
    "parity",
    "listed-session",
    "more-sessions",
    "min-sessions",
    "same-pass",
    "max-moves",
    "general",
]


class Rule(Record):
    """A rule of the event that takes part in a conflict, or a change to one that makes the event
    feasible: its sentence (as in ``conflicts`` and ``relaxation``) and the same as data, for an
    application to say in its own words."""

    code: RuleCode = Field(
        description=(
            "pinned, confirmed (a confirmed seat kept), required, max-sessions, capacity (a room's "
            "seats, or a seminar's max_attendance), minimum (min_attendance), shared-limit, "
            "session-quota (max_per_session), seat-quota (max_seats), mix (a diversity rule), "
            "parity, listed-session (a listed session runs), more-sessions (a seminar's runs beyond "
            "those listed), min-sessions (a pass's least sessions), same-pass, max-moves, or "
            "general (no smaller set of rules was isolated in time)."
        )
    )
    text: str = Field(description="The sentence, as in conflicts or relaxation.")
    seminar: Id | None = Field(None, description="The seminar the rule is about.")
    pass_: Id | None = Field(None, alias="pass", description="The pass it is about.")
    room: Id | None = Field(None, description="The room it is about.")
    organisation: Id | None = Field(None, description="The organisation it is about.")
    attribute: str | None = Field(
        None, description="mix and parity: the attribute ('organisation' or a name)."
    )
    attendees: int | None = Field(
        None, description="pinned, confirmed, required, max-sessions: the attendees the rule binds here."
    )
    of: int | None = Field(None, description="pinned: everyone pinned to that seminar in that pass.")
    limit: int | float | None = Field(
        None, description="The rule's number: seats, a quota, a minimum, a share in percent, moves."
    )
    change: int | None = Field(
        None, description="A change in relaxation: by how much (seats, places, attendees unpinned)."
    )
    drop: bool = Field(False, description="A change in relaxation: the rule is dropped.")


class SolverInfo(Record):
    """How the solve ran. Timings vary between runs; everything else is reproducible."""

    time_limit: float | None = Field(
        None, description="Seconds the whole call could take; none when only a work limit was given."
    )
    work_limit: float | None = Field(
        None, description="Deterministic work the search could do; none: no limit."
    )
    seed: int = Field(description="Random seed of the solver and of the hand-out within types.")
    workers: int = Field(description="Search workers.")
    objective: str = Field("rank-cost", description="The objective kind solved.")
    method: str = Field(
        "cp-sat",
        description=(
            "How it was solved: cp-sat (the type model), flow (seminar flow and pass colouring, "
            "for plain events), lns (large-neighbourhood search with the LP bound, for large events with "
            "any rule) or flow+cp-sat / lns+cp-sat (that method's first steps, then CP-SAT; the better kept)."
        ),
    )
    work: float = Field(
        0.0,
        description=(
            "Deterministic work done: CP-SAT's deterministic time plus the flow method's counted steps, "
            "the same on any machine for the same event, seed and limits."
        ),
    )
    stop: Literal["time-limit", "work-limit", "interrupted"] | None = Field(
        None,
        description=(
            "Why the search stopped before it was done: its time limit, its work limit, or Ctrl-C; "
            "none when it ran to its end."
        ),
    )
    note: str | None = Field(
        None, description="Anything else to know about the solve, such as why it has no allocation."
    )
    wall_time: float | None = Field(
        None, description="Seconds from start of solve to the allocation; left out of reproducible output."
    )
    solve_time: float | None = Field(None, description="Seconds spent searching; left out likewise.")
    first_time: float | None = Field(
        None,
        description=(
            "Seconds from the start of solve to the first valid allocation, when the method builds one "
            "before improving it (lns); left out likewise."
        ),
    )
    interrupted: bool = Field(False, description="The search was stopped (Ctrl-C) before its limit.")
    version: str | None = Field(None, description="The seatalloc version that solved it.")
    finished: datetime | None = Field(
        None, description="When the solve ended (UTC); left out of reproducible output like the timings."
    )


class SessionPrice(Record):
    """The price of a seat in one session: what its room's capacity is worth per person."""

    seminar: Id
    pass_: Id = Field(alias="pass")
    room: Id
    price: float = Field(description="Added to the cost of every person seated there; at least 0.")


class QuotaPrice(Record):
    """The price of an organisation's seat in one session a quota of ``max_per_session`` caps."""

    quota: int = Field(ge=0, description="The quota: its position in the event's quotas, from 0.")
    seminar: Id
    pass_: Id = Field(alias="pass")
    room: Id
    price: float = Field(description="Added to the cost of each of its people seated there; at least 0.")


class LimitPrice(Record):
    """The price of a seat under a shared limit."""

    limit: int = Field(ge=0, description="The limit: its position in the event's shared_limits, from 0.")
    price: float = Field(
        description="Added to the cost of every person seated in its seminars' sessions; at least 0."
    )


class MixPrice(Record):
    """The price of a mix rule's share of one value in one session (a rule of ``max_share``).

    Its row, ``n(value) - share x n(all) <= (1 - share) x (min_session_size - 1)`` with
    ``share = max_share / 100``, holds in every session whatever its size."""

    rule: int = Field(ge=0, description="The rule: its position in the event's diversity, from 0.")
    value: str = Field(description="The value of the rule's attribute whose share is priced.")
    seminar: Id
    pass_: Id = Field(alias="pass")
    room: Id
    price: float = Field(
        description=(
            "Added to the cost of each attendee with the value seated there times (1 - share), and "
            "to every other's times -share; at least 0."
        )
    )


class Certificate(Record):
    """Prices on the rules that couple attendees, which prove ``bound`` to anyone.

    With every price added to the cost of the seats it covers and the rules priced left out,
    each attendee's cheapest itinerary (a seat or none per pass they attend, no seminar twice,
    at most ``max_sessions`` seats) costs at least what they can cost in any allocation less
    the prices of their seats. So the sum over attendees of those cheapest itineraries, less
    each price times its rule's limit, is a lower bound on the total cost. ``seatalloc check``
    recomputes it from the event alone. Rules not priced here only make the bound weaker.
    """

    bound: int = Field(description="The lower bound on the total cost these prices prove.")
    sessions: tuple[SessionPrice, ...] = Field((), description="Prices on sessions' capacities.")
    quotas: tuple[QuotaPrice, ...] = Field((), description="Prices on organisations' quotas per session.")
    shared_limits: tuple[LimitPrice, ...] = Field((), description="Prices on shared limits.")
    mixes: tuple[MixPrice, ...] = Field((), description="Prices on mix rules' shares per session.")


class Allocation(Document):
    """Who sits where in each pass, who has no seat and why, and how good it is.

    ``objective`` is the cost of this allocation; ``bound`` is a proven lower
    bound on the cost of any allocation, so ``objective - bound`` is the most
    that could still be gained. ``status`` is ``optimal`` when they meet.
    """

    what: ClassVar[str] = "allocation"

    status: Status = Field(description="optimal, feasible, infeasible or unknown.")
    objective: int | None = Field(description="Total cost of this allocation.")
    bound: int | None = Field(description="Proven lower bound on the total cost.")
    gap: float | None = Field(description="(objective - bound) / max(1, objective).")
    assignments: tuple[Assignment, ...] = Field(description="Every seat given.")
    unseated: tuple[Unseated, ...] = Field(
        description=(
            "Every attendee-pass without a seat, one row each, except those in unseated_groups. A "
            "reader that knows only this key reads every place of an allocation in which no pass "
            "has 1,000 or more places without a seat for one reason (then unseated_groups is empty)."
        )
    )
    unseated_groups: tuple[UnseatedGroup, ...] = Field(
        (),
        description=(
            "The compact form of many rows of unseated: the places that share a pass, a code and a "
            "reason when they are 1,000 or more, as one entry listing the attendees. Every "
            "attendee-pass without a seat is in unseated or here, once."
        ),
    )
    stats: Stats = Field(description="Summary figures.")
    solver: SolverInfo | None = Field(None, description="How the solve ran.")
    stages: tuple[StageResult, ...] = Field(
        (), description="Each stage of the objective, in order; the last is the total cost."
    )
    conflicts: tuple[str, ...] = Field(
        (), description="For an infeasible event: the rules that conflict, in words."
    )
    relaxation: tuple[str, ...] = Field(
        (), description="For an infeasible event: the smallest change that would make it feasible."
    )
    conflict_rules: tuple[Rule, ...] = Field(
        (), description="The conflicts as data, one per sentence of conflicts, in the same order."
    )
    relaxation_rules: tuple[Rule, ...] = Field(
        (), description="The relaxation as data, one per sentence of relaxation, in the same order."
    )
    as_of: date | None = Field(None, description="With admission: the day the event was solved as of.")
    waitlist: tuple[WaitlistEntry, ...] = Field(
        (), description="With admission: every registrant not admitted, in queue order, with the reason."
    )
    moves: tuple[Move, ...] = Field(
        (), description="After a re-solve: every attendee-pass whose seat changed, and why."
    )
    move_cost: int | None = Field(
        None,
        description=(
            "After a re-solve with a stated cost per move: that cost, included in the objective "
            "once per move."
        ),
    )
    offers: tuple[Id, ...] = Field(
        (),
        description=(
            "After a response round: the attendees with a seat now who had none in the published "
            "allocation, the new offers to send."
        ),
    )
    certificate: Certificate | None = Field(
        None,
        description=(
            "Prices that prove a lower bound on the total cost, which seatalloc check recomputes "
            "from the event alone (its bound may be below the stated bound when that came another way)."
        ),
    )

    def unseated_places(self) -> Iterator[Unseated]:
        """Every attendee-pass without a seat as a row: those of ``unseated``, then the groups'."""
        yield from self.unseated
        for group in self.unseated_groups:
            yield from group.rows()

    def unseated_codes(self) -> Iterator[UnseatedCode]:
        """The code of every attendee-pass without a seat (no row made for a group's places)."""
        yield from (u.code for u in self.unseated)
        for group in self.unseated_groups:
            yield from repeat(group.code, len(group.attendees))

    @property
    def n_unseated(self) -> int:
        """How many attendee-passes have no seat."""
        return len(self.unseated) + sum(len(g.attendees) for g in self.unseated_groups)

    def sessions_run(self, event: Event) -> list[tuple[str, str, str]]:
        """Return (seminar, pass, room) of every session that runs: the plan in ``stats.sessions``
        when the optimiser planned sessions, else the event's sessions."""
        if event.planned:
            return [(f.seminar, f.pass_, f.room) for f in self.stats.sessions]
        return event.candidate_sessions()

    def to_json(self, indent: int | None = 2, *, timings: bool = True) -> str:
        """Return the allocation as JSON text, keys as in the public schema.

        With ``timings=False`` the solver's timings are left out, so the same
        event and seed give the same bytes (when the solve ends optimal).
        """
        return self.to_json_bytes(indent, timings=timings).decode()

    def to_json_bytes(self, indent: int | None = 2, *, timings: bool = True) -> bytes:
        """Return :meth:`to_json`'s text encoded in UTF-8, as the serializer makes it (a copy and a
        decoding fewer: 40 % less time for an allocation of 400,000 rows)."""
        return self.__pydantic_serializer__.to_json(
            self, indent=indent, exclude=_exclude(timings), by_alias=True
        )

    def write_json(
        self, file: BinaryIO, indent: int | None = 2, *, timings: bool = True, rows: int = 100_000
    ) -> None:
        """Write :meth:`to_json_bytes`'s bytes to ``file``, the long lists ``rows`` rows at a time:
        the same bytes, without the whole text (hundreds of megabytes at a million attendees) in
        memory at once."""
        empty = self.model_copy(update=dict.fromkeys(_LONG, ()))
        head = self.__pydantic_serializer__.to_json(
            empty, indent=indent, exclude=_exclude(timings), by_alias=True
        )
        for key in _LONG:
            listed: tuple[object, ...] = getattr(self, key)
            mark = (b'"%s": []' if indent is not None else b'"%s":[]') % key.encode()
            at = head.index(mark)  # (a key's mark is never inside a string: its quotes would be escaped)
            file.write(head[: at + len(mark) - 1])  # up to and with the opening bracket
            head = head[at + len(mark) - 1 :]  # from the closing bracket on
            if not listed:
                continue
            adapter = _rows(key)
            shift = b"\n" + b" " * (indent or 0)  # one level deeper than the adapter writes them
            for start in range(0, len(listed), rows):
                text = adapter.dump_json(listed[start : start + rows], indent=indent, by_alias=True)
                body = text[1:-2] if indent is not None else text[1:-1]  # (without "[", "\n]")
                file.write((b"," if start else b"") + body.replace(b"\n", shift))
            if indent is not None:
                file.write(b"\n" + b" " * indent)
        file.write(head)


#: The lists of an allocation that grow with the attendees, written a slice at a time.
_LONG = ("assignments", "unseated", "unseated_groups", "waitlist")


@cache
def _rows(key: str) -> TypeAdapter[Any]:
    """The serializer of one of the long lists (built on first use: not every command writes)."""
    annotation: Any = Allocation.model_fields[key].annotation
    return TypeAdapter(annotation)


def _exclude(timings: bool) -> dict[str, set[str]] | None:
    """What to leave out of a written allocation: the solver's timings unless ``timings``."""
    return None if timings else {"solver": {"wall_time", "solve_time", "first_time", "finished"}}
