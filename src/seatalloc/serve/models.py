"""The service's requests and answers: pydantic models (the OpenAPI document's schemas) and the
reading of a request body into an event and solve options, with the command line's problems."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, ValidationError

from seatalloc.errors import InputError, Problem
from seatalloc.schema.base import Record
from seatalloc.schema.event import Event
from seatalloc.schema.records import Day, Int, ObjectiveKind, whole
from seatalloc.schema.responses import Response
from seatalloc.serve.store import Job
from seatalloc.solve.options import DEFAULT_TIME_LIMIT, MAX_SEED, MAX_WORKERS, MethodName, SolveOptions

#: Seconds or work: a number, never text or true.
Seconds = Annotated[float, Strict()]
#: A whole number, never text or true (5.0 is 5), within the field's own bounds.
Whole = Annotated[int, Strict(), BeforeValidator(whole)]


class JobOptions(Record):
    """How a job solves: the command line's solve options."""

    time_limit: Seconds | None = Field(
        None, gt=0, allow_inf_nan=False, description="Seconds the whole solve may take (default 30)."
    )
    work_limit: Seconds | None = Field(
        None,
        gt=0,
        allow_inf_nan=False,
        description="Deterministic work: the same result on any machine, however fast or busy.",
    )
    seed: Whole = Field(0, ge=0, le=MAX_SEED, description="Seed of the search, the lottery and the hand-out.")
    workers: Whole = Field(1, ge=1, le=MAX_WORKERS, description="CP-SAT search workers (1: deterministic).")
    objective: ObjectiveKind | None = Field(None, description="Objective kind overriding the event's.")
    as_of: Day | None = Field(None, description="With admission: solve as of this day.")
    method: MethodName = Field("auto", description="auto, cp-sat, flow or lns.")


class ResolveOptions(JobOptions):
    """How a re-solve runs: the solve options, and what a move costs or how many may happen."""

    move_cost: Int | None = Field(None, ge=0, description="Cost of one move, paid when worth it.")
    max_moves: Int | None = Field(None, ge=0, description="At most this many attendee-passes change seat.")
    responses: tuple[Response, ...] | None = Field(
        None,
        description=(
            "A response round: the answers to the published offers (confirmed seats stay, declined "
            "and lapsed ones go to the next in line), as in seatalloc resolve --responses."
        ),
    )


class JobRequest(BaseModel):
    """A job: the event and how to solve it."""

    model_config = ConfigDict(extra="forbid")  # (the service refuses any other key: the schema says so)

    event: Event
    options: JobOptions | None = Field(None, description="How to solve; null or left out: the defaults.")


class ResolveRequest(BaseModel):
    """A re-solve of a job's allocation: the event as it is now, and how to re-solve."""

    model_config = ConfigDict(extra="forbid")

    event: Event
    options: ResolveOptions | None = Field(
        None, description="How to re-solve; null or left out: the defaults."
    )


class ProblemItem(BaseModel):
    record: str = Field(description="The record, for example \"attendees[3] 'a0004'\".")
    field: str = Field(description="The field inside the record; empty for the record as a whole.")
    message: str = Field(description="What was expected and what was got.")


class Problems(BaseModel):
    """Why a request was refused: the command line's message and every problem in it."""

    message: str
    problems: list[ProblemItem] = []


class Progress(BaseModel):
    stage: str | None = Field(None, description="The stage of the solve that reported last.")
    seconds: float | None = Field(None, description="Seconds since the solve started.")
    best: float | None = Field(None, description="The best objective so far (lower is better).")
    bound: float | None = Field(None, description="No allocation can score below this.")


class Outcome(BaseModel):
    status: str = Field(description="The allocation's status: optimal, feasible, infeasible or unknown.")
    objective: int | None = None
    bound: int | None = None
    gap: float | None = None
    seated: int = Field(description="Seats given.")
    unseated: int = Field(description="Attendee-passes without a seat (each with its reason).")
    method: str | None = None
    stop: str | None = Field(None, description="Why the search stopped early, if it did.")


class JobView(BaseModel):
    """A job as its status shows it."""

    id: str
    kind: str = Field(description="solve or resolve")
    status: str = Field(description="queued, running, done, failed, cancelled or interrupted")
    submitted: datetime
    started: datetime | None = None
    finished: datetime | None = None
    progress: Progress | None = Field(None, description="While running: the best objective and bound.")
    result: Outcome | None = Field(None, description="When it has an allocation.")
    source: str | None = Field(None, description="The job this one re-solves or resubmits.")
    message: str | None = None
    problems: list[ProblemItem] = []
    links: dict[str, str] = {}


class Submitted(BaseModel):
    id: str
    status: str
    links: dict[str, str]


class Validated(BaseModel):
    valid: bool
    attendees: int
    sessions: int


class Health(BaseModel):
    status: str
    version: str
    workers: int = Field(description="Worker processes alive.")
    jobs: dict[str, int] = Field(description="Jobs per status.")


def problem_items(problems: Any) -> list[dict[str, str]]:
    return [asdict(p) for p in problems]


def read_job(body: bytes, options_model: type[JobOptions] = JobOptions) -> tuple[Event, str, JobOptions]:
    """Read ``{"event": ..., "options": ...}`` into the event, its JSON text and the options; raise
    :class:`InputError` listing every problem, the event's as the command line lists them."""
    try:
        raw = json.loads(body)
    except (ValueError, RecursionError) as err:
        raise InputError([Problem("input", "", f"malformed JSON: {err}")], "request") from None
    if not isinstance(raw, dict):
        raise InputError([Problem("request", "", 'must be an object: {"event": {...}, "options": {...}}')])
    problems = [
        Problem("request", key, "unknown key: use event and options")
        for key in raw.keys() - {"event", "options"}
    ]
    event, text = None, ""
    if "event" not in raw:
        problems.append(Problem("request", "event", "missing: the event to solve"))
    else:
        try:
            text = json.dumps(raw["event"])  # (ASCII: a lone surrogate stays an escape)
            event = Event.model_validate_json(text)
        except InputError as err:
            problems.extend(err.problems)
        except RecursionError:
            problems.append(Problem("request", "event", "nested too deep"))
    given = raw.get("options")  # (null or left out: the defaults; false or [] is a problem)
    options = read_options({} if given is None else given, options_model, problems)
    if problems or event is None or options is None:
        raise InputError(problems, "request")
    return event, text, options


def read_options(raw: Any, model: type[JobOptions], problems: list[Problem]) -> JobOptions | None:
    """Validate the options as the command line does; add their problems to ``problems``."""
    try:
        options = model.model_validate(raw)
    except ValidationError as err:
        for detail in err.errors(include_url=False):
            field = ".".join(str(part) for part in detail["loc"])
            problems.append(Problem("options", field, f"{detail['msg']}, got {detail.get('input')!r}"[:300]))
        return None
    try:
        solve_options(options)
    except InputError as err:
        problems.extend(err.problems)
        return None
    return options


def solve_options(options: JobOptions, **hooks: Any) -> SolveOptions:
    """The :class:`SolveOptions` of a job (every job has a time limit: 30 s when none is given)."""
    given = options.model_dump(exclude={"move_cost", "max_moves", "responses"})
    if given["time_limit"] is None and given["work_limit"] is None:
        given["time_limit"] = DEFAULT_TIME_LIMIT
    return SolveOptions(**given, **hooks)


def view(job: Job, base: str) -> JobView:
    """The status of a stored job."""
    links = {"self": base}
    if job.result is not None:
        links |= {
            name: f"{base}/{name}" for name in ("allocation", "report", "rosters", "audit", "explanations")
        }
    if job.status in ("done", "cancelled", "interrupted"):
        links["resubmit"] = f"{base}/resubmit"
    progress = None
    if job.stage is not None:
        progress = Progress(stage=job.stage, seconds=job.seconds, best=job.best, bound=job.bound)
    return JobView(
        id=job.id,
        kind=job.kind,
        status=job.status,
        submitted=_when(job.submitted),
        started=_when(job.started),
        finished=_when(job.finished),
        progress=progress,
        result=None if job.result is None else Outcome.model_validate_json(job.result),
        source=job.source,
        message=job.message,
        problems=[] if job.problems is None else json.loads(job.problems),
        links=links,
    )


def _when(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC).replace(microsecond=0)
