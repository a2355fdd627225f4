"""The records an event is made of: passes, rooms, seminars, sessions, attendees, rules.

The JSON keys of these models are a public contract that other applications
rely on. Fields may be added; existing names never change.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import BeforeValidator, Discriminator, Field, Strict, StringConstraints, Tag, model_validator

from seatalloc.schema.base import Record

#: An id: some character that is not blank (spaces around it are taken away), at most 200.
Id = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True, pattern=r"\S")]
Clock = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
#: The largest count or number an event holds (capacities, sizes, costs, priorities): every sum
#: and product the model forms of them stays within 64 bits.
MAX_NUMBER = 10**9
#: Longest name, e-mail or contact text (characters).
MAX_CONTACT = 500


def _iso(value: object) -> object:
    """Refuse a number where a date or time is due (an Excel serial day, seconds since 1970)."""
    if isinstance(value, int | float):
        raise ValueError(f"dates and times are ISO 8601 text (2020-04-27, 2020-04-27T09:30), got {value!r}")
    return value


def whole(value: object) -> object:
    """Take a whole number written as a float (``5.0``, as JSON Schema's integers include) for the
    integer; a fraction, a float beyond exact integers, and true stay refused."""
    if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
        return int(value)
    return value


#: Integers: no true or 1.5 taken for a number (5.0 is 5, as JSON Schema has it), and at most
#: :data:`MAX_NUMBER` (each field says its least).
Int = Annotated[int, Strict(), Field(le=MAX_NUMBER), BeforeValidator(whole)]  # (its bounds in the schema)
#: Yes or no: true or false, never 0 or 1 or "yes".
Flag = Annotated[bool, Strict()]
#: Numbers: no true taken for 1, nothing infinite.
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]
#: A day, and a moment: ISO 8601 text, never a number.
Day = Annotated[date, BeforeValidator(_iso)]
Moment = Annotated[datetime, BeforeValidator(_iso)]
Cost = Annotated[int, Strict(), Field(ge=0, le=MAX_NUMBER), BeforeValidator(whole)]
ObjectiveKind = Literal[
    "rank-cost", "rank-maximal", "leximin", "minimax-rank", "organisation-parity", "value-leximin"
]


class Pass(Record):
    """A time slot in which several sessions run in parallel."""

    id: Id = Field(description="Unique id of the pass, for example 'P1'.")
    start: Clock | None = Field(None, description="Start time as HH:MM.")
    end: Clock | None = Field(None, description="End time as HH:MM.")
    min_sessions: Int = Field(
        0, ge=0, description="At least this many sessions run in the pass (the optimiser plans them)."
    )


class Room(Record):
    """A place with a capacity, in a venue, with features."""

    id: Id = Field(description="Unique id of the room.")
    venue: str | None = Field(None, description="The venue (building) the room is in.")
    capacity: Int = Field(ge=0, description="How many attendees the room seats.")
    features: tuple[Id, ...] = Field(
        (), description="Features the room offers, for example 'step-free', 'hearing-loop'."
    )


class Seminar(Record):
    """A topic that may run in several passes."""

    id: Id = Field(description="Unique id of the seminar, for example 'A'.")
    title: str | None = Field(None, description="Human-readable title.")
    min_attendance: Int = Field(
        0, ge=0, description="Each of its sessions that runs seats at least this many people."
    )
    max_attendance: Int | None = Field(
        None, ge=0, description="Each of its sessions seats at most this many people (besides the room)."
    )
    runs: Int | None = Field(
        None,
        ge=0,
        description=(
            "How many sessions it has. Sessions listed for it count; the rest are planned by the "
            "optimiser in any pass and room. Default: the sessions listed."
        ),
    )
    optional: Flag = Field(
        False,
        description=(
            "Its sessions may be cancelled (for example when fewer than min_attendance would come); "
            "their attendees are seated elsewhere."
        ),
    )
    parts: Int = Field(
        1,
        ge=1,
        description=(
            "Passes each run takes (a double session: 2): a session of it runs in its pass and the "
            "next parts - 1 passes (in the order of 'passes'), in one room, with the same people."
        ),
    )


class Session(Record):
    """One run of a seminar in one pass, in one room.

    Leave out ``pass``, ``room`` or both to let the optimiser choose them
    (together with the attendees): big rooms then go to popular seminars.
    """

    seminar: Id = Field(description="Id of the seminar that runs.")
    pass_: Id | None = Field(
        None, alias="pass", description="Id of the pass it runs in; none: the optimiser chooses."
    )
    room: Id | None = Field(None, description="Id of the room it runs in; none: the optimiser chooses.")
    min_attendance: Int = Field(
        0, ge=0, description="When it runs, at least this many people (besides the seminar's minimum)."
    )


class Organisation(Record):
    """An administration, committee, company or external group."""

    id: Id = Field(description="Unique id of the organisation.")
    name: str | None = Field(None, description="Human-readable name.")


class Quota(Record):
    """A cap on how many attendees of one organisation are seated.

    Exactly one of ``max_per_session`` and ``max_seats`` is given.
    ``max_per_session`` applies to every session that matches the optional
    ``seminar`` and ``pass`` filters; ``max_seats`` caps how many of the
    organisation's attendees are seated at the event at all.
    """

    organisation: Id = Field(description="Id of the organisation the quota applies to.")
    max_per_session: Int | None = Field(
        None, ge=0, description="At most this many of its attendees in each matching session."
    )
    max_seats: Int | None = Field(
        None, ge=0, description="At most this many of its attendees seated at the event at all."
    )
    seminar: Id | None = Field(None, description="Only sessions of this seminar (with max_per_session).")
    pass_: Id | None = Field(
        None, alias="pass", description="Only sessions in this pass (with max_per_session)."
    )

    @model_validator(mode="after")
    def _one_limit(self) -> Self:
        if (self.max_per_session is None) == (self.max_seats is None):
            raise ValueError("give exactly one of 'max_per_session' and 'max_seats'")
        if self.max_seats is not None and (self.seminar is not None or self.pass_ is not None):
            raise ValueError("'seminar' and 'pass' filters apply only to 'max_per_session'")
        return self


class SharedLimit(Record):
    """A limit shared by the sessions of several seminars: a supervisor's projects, a team of
    teachers, a budget of places across a track."""

    seminars: tuple[Id, ...] = Field(min_length=1, description="The seminars whose sessions share it.")
    max_seats: Int = Field(ge=0, description="At most this many people seated in them in all.")
    name: str | None = Field(None, description="What the limit is, for messages (e.g. 'Supervisor 3').")


class VenueMoves(Record):
    """Moving between venues between consecutive passes (S1: a break "and relocation")."""

    rule: Literal["allowed", "penalised", "forbidden"] = Field(
        "allowed",
        description=(
            "allowed: moves are free; penalised: each move costs 'cost'; forbidden: every "
            "attendee stays in one venue all day."
        ),
    )
    cost: Cost = Field(0, description="Cost of one attendee moving venue between two consecutive passes.")
    forbidden_for: tuple[Id, ...] = Field(
        (),
        description=(
            "Needs (for example 'step-free') whose attendees never change venue, whatever the rule."
        ),
    )


class Party(Record):
    """Attendees who registered together (colleagues, a family) and sit together."""

    id: Id = Field(description="Id of the party; attendees name it in their 'party' field.")
    passes: tuple[Id, ...] = Field(
        (), description="Passes in which the party sits in one session; empty: every pass."
    )


class Reserve(Record):
    """Seats held for one organisation until a release date (S2).

    Until the end of ``until`` the organisation's registrants compete for its
    ``reserved`` seats; with ``locked`` (a registration lock) it is admitted
    at most up to them. From the next day the reserve is released: seats
    claimed by its registrants up to ``until`` stay theirs, the rest open to
    everyone.
    """

    organisation: Id = Field(description="Id of the organisation the seats are held for.")
    reserved: Int = Field(ge=0, description="Seats held for the organisation.")
    until: Day | None = Field(
        None, description="Last day the seats are held (inclusive); none: held for good."
    )
    locked: Flag = Field(
        True,
        description=(
            "Registration lock: while the reserve is held, the organisation is admitted at most "
            "up to it. With false its registrants may also take open seats."
        ),
    )


class Admission(Record):
    """Who gets in when there are more registrations than seats."""

    rule: Literal["registration", "lottery"] = Field(
        "registration",
        description=(
            "Order of admission within a priority class: registration time (no time counts as "
            "last, ties by input order), or a lottery drawn from the seed."
        ),
    )
    order: Literal["reserved-first", "open-first"] = Field(
        "reserved-first",
        description=(
            "Which seats are filled first: each organisation's reserved seats, then the open ones "
            "(reserved-first), or the open seats, then the reserved ones (open-first, which lets "
            "more of an organisation with a reserve in)."
        ),
    )
    as_of: Day | None = Field(
        None,
        description=(
            "Solve as of the end of this day: later registrations do not count yet and reserves "
            "held until this day or later still hold. Default: the day of the last registration."
        ),
    )


class Pin(Record):
    """A pinned seminar with the reason it is pinned (a speaker, staff, a host's choice)."""

    seminar: Id = Field(description="The seminar the attendee is pinned to in this pass.")
    reason: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="Why, in the organiser's words; shown in rosters, explanations and the report.",
    )


def _pin_form(value: object) -> str:
    """Which form a pin takes: a seminar id, or a pin with its reason."""
    return "seminar" if isinstance(value, str) else "pin"


#: A pinned seminar: a seminar id, or ``{"seminar", "reason"}`` (one form chosen by the value, so
#: a bad pin gets one problem, not one per form).
PinField = Annotated[
    Annotated[Id, Tag("seminar")] | Annotated[Pin, Tag("pin")],
    Discriminator(_pin_form),
]


class History(Record):
    """How an attendee fared at earlier editions of the event (``seatalloc history`` writes it)."""

    score: Int = Field(
        ge=0,
        le=1000,
        description=(
            "Per earlier edition: 2 without a seat, 1 seated without a first choice, 0 with one; "
            "summed. With objective.history_weight their outcomes weigh more."
        ),
    )
    note: str | None = Field(
        None,
        max_length=500,
        description="What it stands for, shown in explanations ('no first choice at ... 2019').",
    )


class Attendee(Record):
    """A person who registered."""

    id: Id = Field(description="Unique id of the attendee (no names needed).")
    organisation: Id | None = Field(None, description="Id of the attendee's organisation.")
    choices: tuple[Id, ...] = Field(
        (),
        description=(
            "Seminar ids in order of preference, most wanted first. With costs or scores and no "
            "choices, the order is derived from them (cheapest or highest first)."
        ),
    )
    costs: dict[Id, Cost] | None = Field(
        None,
        description=(
            "Cardinal preferences: the cost of each seminar to this attendee (lower is better), "
            "used instead of the rank costs; unlisted seminars cost objective.unranked_cost."
        ),
    )
    scores: dict[Id, Int] | None = Field(
        None,
        description=(
            "Cardinal preferences as scores (higher is better): a seminar costs the event's highest "
            "score minus its score; unlisted seminars cost objective.unranked_cost."
        ),
    )
    size: Int = Field(
        1,
        ge=1,
        description=(
            "People this registration stands for (a family, a team) who sit together; they count "
            "in capacities, attendance bounds and quotas per person."
        ),
    )
    needs: tuple[Id, ...] = Field(
        (), description="Room features the attendee needs; every one must be in the room."
    )
    fixed: dict[Id, PinField] = Field(
        default_factory=dict,
        description=(
            "Pinned seminar per pass id (speakers, staff): always honoured. A seminar id, or "
            '{"seminar": ..., "reason": ...} to say why.'
        ),
    )
    excluded: tuple[Id, ...] = Field((), description="Seminar ids the attendee must not get.")
    available: tuple[Id, ...] | None = Field(
        None,
        min_length=1,
        description=(
            "The passes the attendee attends (arriving late, leaving early); default every pass. "
            "They are not seated in the others (reason not-attending), which cost nothing."
        ),
    )
    max_sessions: Int | None = Field(
        None,
        ge=0,
        description=(
            "At most this many sessions in all (a course load); default one in every pass. The "
            "other passes are unseated (reason max-sessions) and cost nothing: unseated_cost "
            "counts once for each session short of the load (max_sessions, or the passes "
            "attended when fewer, minus the sessions given)."
        ),
    )
    required: tuple[Id, ...] = Field(
        (),
        description=(
            "Seminars the attendee must be given, in some pass (for example a course they need); "
            "unless admission or their organisation's max_seats leaves them out altogether."
        ),
    )
    party: Id | None = Field(
        None,
        description=(
            "Id of the party the attendee registered with: its members sit in the same session "
            "(in every pass, or in the passes the party names in 'parties'), or all go without."
        ),
    )
    attributes: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Free-form attributes such as county or gender. Sensitive: used for "
            "fairness rules and aggregate reports only, never logged."
        ),
    )
    priority: Int = Field(
        0,
        ge=-MAX_NUMBER,
        description="Priority class: among equally good allocations, higher classes fare better.",
    )
    history: History | None = Field(
        None,
        description="How they fared at earlier editions (seatalloc history); see objective.history_weight.",
    )
    registered: Moment | None = Field(
        None, description="Registration time; with tie_break 'registration', earlier fares better."
    )
    name: str | None = Field(
        None,
        max_length=MAX_CONTACT,
        repr=False,
        description="The attendee's name, for rosters only: never part of a decision, never logged.",
    )
    email: str | None = Field(
        None,
        max_length=MAX_CONTACT,
        repr=False,
        description="The e-mail address, for rosters only: never part of a decision, never logged.",
    )
    contact: str | None = Field(
        None,
        max_length=MAX_CONTACT,
        repr=False,
        description="Free contact text (a phone, a note for the host); for rosters only, never logged.",
    )

    def derive_choices(self) -> None:
        """Set ``choices`` from costs or scores (cheapest or highest first) when none are given.

        Called once per attendee by the event's validation, only for attendees
        with cardinal preferences (a per-record validator would cost every one).
        """
        cardinal = self.costs or {k: -v for k, v in (self.scores or {}).items()}
        if cardinal and not self.choices:
            ranked = tuple(sorted(cardinal, key=lambda seminar: (cardinal[seminar], seminar)))
            object.__setattr__(self, "choices", ranked)

    def attends(self, pass_id: str) -> bool:
        """True when the attendee attends pass ``pass_id`` (every pass unless ``available`` says)."""
        return self.available is None or pass_id in self.available

    @property
    def pins(self) -> dict[str, str]:
        """The pinned seminar per pass id (whether ``fixed`` gives a reason or not)."""
        return {p: pin if isinstance(pin, str) else pin.seminar for p, pin in self.fixed.items()}

    def pin_note(self, pass_id: str) -> str | None:
        """``"pinned: REASON"`` (or ``"pinned"``) when the attendee is pinned in the pass, else None."""
        pin = self.fixed.get(pass_id)
        if pin is None:
            return None
        return f"pinned: {pin.reason}" if isinstance(pin, Pin) and pin.reason else "pinned"

    def group(self, dimension: str) -> str | None:
        """Return the attendee's group in ``dimension``: 'organisation' or an attribute name."""
        return self.organisation if dimension == "organisation" else self.attributes.get(dimension)


class Objective(Record):
    """Costs to minimise, per attendee and pass.

    Seated in the seminar at 0-based position ``r`` of the attendee's choices
    costs ``rank_costs[r]``; a seminar they did not rank (or ranked beyond
    ``rank_costs``) costs ``unranked_cost``; no seat costs ``unseated_cost``.
    """

    kind: ObjectiveKind = Field(
        "rank-cost",
        description=(
            "rank-cost: minimise the total cost. rank-maximal: most first choices, then most "
            "second choices, ..., then fewest unseated, then the cost. leximin (same as "
            "minimax-rank): fewest unseated, then fewest unranked, then fewest at the last "
            "rank, ..., then the cost. organisation-parity: the largest smallest share, over "
            "the groups of parity_attribute, of attendee-passes given one of their first "
            "parity_top choices; then the cost. value-leximin: the leximin over what each "
            "attendee gets, their value (per place, unseated_cost minus its cost: with scores and "
            "unseated_cost equal to the highest score, the sum of the scores of their seminars): "
            "the lowest value anyone gets as high as possible, then as few at it as possible, then "
            "the next lowest, ...; then the cost."
        ),
    )
    parity_attribute: str = Field(
        "organisation",
        description=(
            "Groups for organisation-parity: 'organisation', or the name of an attendee "
            "attribute such as 'gender'. Attendees without it belong to no group."
        ),
    )
    parity_top: Int = Field(1, ge=1, description="organisation-parity counts the first this many choices.")
    tie_break: Literal["lottery", "registration"] = Field(
        "lottery",
        description=(
            "Who of interchangeable attendees gets which of their type's outcomes: a lottery "
            "drawn from the seed (each equally likely to get each outcome), or registration "
            "order (earlier registrations get the cheaper outcomes; no time counts as last)."
        ),
    )
    rank_costs: tuple[Cost, ...] | None = Field(
        None,
        description="Cost per choice rank; default the squares 0, 1, 4, 9, ... (convex).",
    )
    unranked_cost: Cost = Field(100, description="Cost of a seminar the attendee did not rank.")
    only_listed: Flag = Field(
        False,
        description="Give attendees only seminars they ranked or priced: the others are excluded.",
    )
    unseated_cost: Cost = Field(10_000, description="Cost of no seat in a pass.")
    history_weight: Int = Field(
        0,
        ge=0,
        le=1000,
        description=(
            "Weight of the attendees' history: an attendee's costs (seats and empty places) count "
            "1 + history_weight x their history score times, so those who fared worse at earlier "
            "editions come first."
        ),
    )

    def weight(self, attendee: Attendee) -> int:
        """How many times ``attendee``'s costs count: 1, or more with a history and a history_weight."""
        return 1 + self.history_weight * (attendee.history.score if attendee.history else 0)

    def costs_for(self, ranks: int) -> tuple[int, ...]:
        """Return the cost of each of the first ``ranks`` choice positions.

        Parameters
        ----------
        ranks
            How many choice positions to price.

        Returns
        -------
        tuple of int
            ``rank_costs`` (or the squares) cut or padded with
            ``unranked_cost`` to length ``ranks``.
        """
        return tuple(self.rank_cost(r) for r in range(ranks))

    def rank_cost(self, rank: int) -> int:
        """Return the cost of the choice at 0-based position ``rank``."""
        if self.rank_costs is None:
            return rank * rank
        return self.rank_costs[rank] if rank < len(self.rank_costs) else self.unranked_cost


class ParityRule(Record):
    """Groups of an attribute may differ by at most ``max_gap`` percentage points in the
    share of their attendee-passes that got one of their first ``top`` choices."""

    attribute: Id = Field("organisation", description="'organisation' or the name of an attendee attribute.")
    max_gap: Number = Field(ge=0, le=100, description="Largest allowed gap, in percentage points.")
    top: Int = Field(1, ge=1, description="Count the first this many choices (1: first choice).")


class DiversityRule(Record):
    """Mix within sessions: limits on one value of an attribute, and a least number of values.

    Applies to every session with at least ``min_session_size`` attendees, so
    small sessions stay possible. Attendees without the attribute count in the
    session's size but in no value.
    """

    attribute: Id = Field(description="'organisation' or the name of an attendee attribute, e.g. 'county'.")
    max_share: Number | None = Field(
        None, ge=0, le=100, description="At most this percentage of a session from one value."
    )
    max_seats: Int | None = Field(None, ge=0, description="At most this many of a session from one value.")
    min_distinct: Int = Field(0, ge=0, description="At least this many distinct values in a session.")
    min_session_size: Int = Field(
        1, ge=1, description="The rule applies only to sessions with at least this many attendees."
    )
