"""The event: the public input schema.

The JSON keys of these models are a public contract that other applications
rely on. Fields may be added; existing names never change.
"""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace
from typing import Annotated, Any, ClassVar, Self, get_args

from pydantic import BaseModel, Field, TypeAdapter, ValidationError, model_validator

from seatalloc.errors import InputError, Problem
from seatalloc.schema.base import Document
from seatalloc.schema.records import (
    Admission,
    Attendee,
    Day,
    DiversityRule,
    Id,
    Int,
    Objective,
    Organisation,
    ParityRule,
    Party,
    Pass,
    Quota,
    Reserve,
    Room,
    Seminar,
    Session,
    SharedLimit,
    VenueMoves,
)
from seatalloc.schema.references import find_problems


class Event(Document):
    """One conference or day: passes, rooms, seminars, sessions and attendees.

    Validation is complete when the object exists: unknown references,
    duplicate ids and every other problem raise one
    :class:`~seatalloc.errors.InputError` listing all of them.

    Examples
    --------
    >>> event = Event.from_json("examples/jamlikhetskonferensen-2019.json")  # doctest: +SKIP
    """

    what: ClassVar[str] = "event"

    name: str = Field("", description="Name of the event.")
    passes: tuple[Pass, ...] = Field(min_length=1, description="The time slots.")
    rooms: tuple[Room, ...] = Field(description="The rooms.")
    seminars: tuple[Seminar, ...] = Field(description="The seminars (topics).")
    sessions: tuple[Session, ...] = Field(
        (),
        description=(
            "Which seminar runs in which pass and room. Left out, the optimiser plans every session "
            "from the seminars' runs."
        ),
    )
    organisations: tuple[Organisation, ...] = Field((), description="The organisations attendees belong to.")
    quotas: tuple[Quota, ...] = Field((), description="Per-organisation caps.")
    attendees: tuple[Attendee, ...] = Field(description="Everyone who registered.")
    parity: tuple[ParityRule, ...] = Field(
        (), description="Fairness rules between groups: hard limits on first-choice share gaps."
    )
    diversity: tuple[DiversityRule, ...] = Field(
        (), description="Mix rules within sessions (for example: counties, sectors)."
    )
    parties: tuple[Party, ...] = Field(
        (), description="Parties that sit together only in some passes; others sit together in every pass."
    )
    shared_limits: tuple[SharedLimit, ...] = Field(
        (), description="Limits on people seated across the sessions of several seminars."
    )
    different_pass: tuple[tuple[Id, ...], ...] = Field(
        (), description="Groups of seminars of which at most one runs in each pass."
    )
    venue_moves: VenueMoves | None = Field(
        None, description="Whether attendees may change venue between consecutive passes."
    )
    same_pass: tuple[tuple[Id, ...], ...] = Field(
        (),
        description="Groups of seminars that run in the same passes (as many sessions in each).",
    )
    clashes: tuple[
        Annotated[tuple[Id, ...], Field(json_schema_extra={"minItems": 2, "uniqueItems": True})], ...
    ] = Field(
        (),
        description=(
            "Groups of seminars of which an attendee takes at most one, whatever the passes: two "
            "sections of one course, or courses whose times overlap."
        ),
    )
    objective: Objective = Field(
        default_factory=lambda: Objective(), description="Costs to minimise; defaults apply when absent."
    )
    seat_limit: Int | None = Field(
        None,
        ge=0,
        description=(
            "At most this many attendees are admitted; the rest wait. With a seat limit, reserves, "
            "a deadline or an admission rule, every admitted attendee is seated in every pass."
        ),
    )
    reserves: tuple[Reserve, ...] = Field((), description="Seats held per organisation until a date.")
    registration_deadline: Day | None = Field(
        None, description="Last day to register (inclusive); later registrations are refused."
    )
    admission: Admission | None = Field(None, description="The admission rule; defaults apply when absent.")
    respond_by: Day | None = Field(
        None,
        description=(
            "Last day (inclusive) to confirm an offered seat; in a response round, offers not "
            "confirmed by then lapse and their seats go to the next in line."
        ),
    )

    @property
    def top_score(self) -> int:
        """The highest score any attendee gives: scores are costs counted down from it."""
        return max((v for a in self.attendees if a.scores for v in a.scores.values()), default=0)

    def cost(self, attendee: Attendee, seminar: str, *, top: int | None = None) -> int | None:
        """Return what seating ``attendee`` in ``seminar`` costs, or None when it is not allowed.

        Ranked attendees pay ``rank_costs`` by position; attendees with costs or
        scores pay those; an unlisted seminar costs ``unranked_cost``, or is not
        allowed with ``objective.only_listed``. Pass ``top`` (``top_score``)
        when pricing many attendees, so it is computed once.
        """
        listed, rest = self.prices(attendee, top=top)
        return listed.get(seminar, rest)

    def prices(self, attendee: Attendee, *, top: int | None = None) -> tuple[dict[str, int], int | None]:
        """Return the cost of each seminar ``attendee`` listed, and of any other (None: not allowed).

        See :meth:`cost`; this prices all seminars at once.
        """
        rest = None if self.objective.only_listed else self.objective.unranked_cost
        if attendee.costs:
            return dict(attendee.costs), rest
        if attendee.scores:
            best = self.top_score if top is None else top
            return {j: best - v for j, v in attendee.scores.items()}, rest
        return {j: self.objective.rank_cost(r) for r, j in enumerate(attendee.choices)}, rest

    @property
    def planned(self) -> bool:
        """True when the optimiser chooses some sessions: a pass or room left open, runs, optional."""
        listed = Counter(s.seminar for s in self.sessions)
        return (
            any(s.pass_ is None or s.room is None for s in self.sessions)
            or any(m.optional or (m.runs is not None and m.runs != listed[m.id]) for m in self.seminars)
            or any(p.min_sessions for p in self.passes)
            or bool(self.different_pass)
        )

    def candidate_sessions(self) -> list[tuple[str, str, str]]:
        """Return every (seminar, pass, room) that may run: the sessions, when all are fixed (each
        part of a seminar with ``parts``)."""
        return [(j, p, r) for j, p, r, _ in self.candidate_parts()]

    def candidate_parts(self) -> list[tuple[str, str, str, int]]:
        """Return every (seminar, pass, room, part) that may run, ``part`` 0 for a run's first pass.

        A seminar with ``parts`` k runs part ``i`` in the ``i``-th pass after its first, in the
        same room; a run starts where all its parts fit before the last pass.
        """
        passes = [p.id for p in self.passes]
        position = {p: i for i, p in enumerate(passes)}
        parts = {m.id: m.parts for m in self.seminars}
        if not self.planned:
            return [
                (s.seminar, passes[position[s.pass_] + i], s.room, i)  # type: ignore[index,misc]
                for s in self.sessions
                for i in range(parts[s.seminar])
            ]
        rooms = [r.id for r in self.rooms]
        listed: dict[str, list[Session]] = {m.id: [] for m in self.seminars}
        for s in self.sessions:
            listed[s.seminar].append(s)
        out: list[tuple[str, str, str, int]] = []
        for m in self.seminars:
            specs = [(s.pass_, s.room) for s in listed[m.id]]
            if (m.runs or 0) > len(specs):
                specs.append((None, None))
            starts = passes[: len(passes) - m.parts + 1]
            seen: set[tuple[str, str]] = set()
            for p_spec, r_spec in specs:
                for p in starts if p_spec is None else [p_spec]:
                    for r in rooms if r_spec is None else [r_spec]:
                        if (p, r) not in seen:
                            seen.add((p, r))
                            out += [(m.id, passes[position[p] + i], r, i) for i in range(m.parts)]
        return out

    @property
    def limits_venue_moves(self) -> bool:
        """True when moving between venues is penalised or forbidden for anyone."""
        rule = self.venue_moves
        return rule is not None and (rule.rule != "allowed" or bool(rule.forbidden_for))

    @property
    def admits(self) -> bool:
        """True when the event admits attendees (seat limit, reserves, deadline or admission rule)."""
        return bool(
            self.seat_limit is not None
            or self.reserves
            or self.registration_deadline is not None
            or self.admission is not None
        )

    @model_validator(mode="after")
    def _references(self) -> Self:
        for attendee in self.attendees:
            if attendee.costs or attendee.scores:
                attendee.derive_choices()
        problems = find_problems(self)
        if problems:
            raise InputError(problems, "event")
        return self

    @classmethod
    def references_of(cls, raw: Any) -> list[Problem]:
        """The reference problems among the records of ``raw`` that validate, as the event's own
        check finds them (see :func:`seatalloc.schema.references.find_problems`), leaving out
        those that name a record whose fields failed (it is not unknown, only invalid)."""
        if not isinstance(raw, dict):
            return []
        kept: dict[str, Any] = {}
        invalid: set[str] = set()  # ids of records that failed validation
        for name, field in cls.model_fields.items():
            key = field.alias or name
            if key not in raw:
                if field.is_required():
                    return []  # (a required list missing: nothing to check references against)
                kept[name] = field.get_default(call_default_factory=True)
                continue
            value = raw[key]
            (inner,) = get_args(field.annotation)[:1] or (None,)
            if isinstance(value, list) and isinstance(inner, type) and issubclass(inner, BaseModel):
                records = []
                for item in value:
                    try:
                        records.append(inner.model_validate(item))
                    except ValidationError:
                        if isinstance(item, dict) and isinstance(item.get("id"), str):
                            invalid.add(repr(item["id"]))
                kept[name] = tuple(records)
                continue
            try:
                kept[name] = TypeAdapter(field.annotation or Any).validate_python(value)
            except ValidationError:
                kept[name] = field.get_default(call_default_factory=True) if not field.is_required() else ()
        for attendee in kept["attendees"]:
            if attendee.costs or attendee.scores:
                attendee.derive_choices()
        try:
            found = find_problems(SimpleNamespace(**kept))
        except Exception:  # (a shape the check does not expect: the field problems stand alone)
            return []
        return [p for p in found if not any(ident in p.message for ident in invalid)]

    def to_json(self, indent: int | None = 2) -> str:
        """Return the event as JSON text, keys as in the public schema."""
        return self.model_dump_json(indent=indent, exclude_defaults=True)
