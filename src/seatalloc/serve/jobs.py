"""The routes of jobs: validate an event, submit, poll (or wait for the end), list, cancel,
resubmit, re-solve, and the small synchronous solve."""

import json
import time
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from seatalloc.errors import InputError, Problem
from seatalloc.schema import Event
from seatalloc.serve.config import ServeConfig
from seatalloc.serve.http import (
    ALLOCATION,
    Settings,
    Store,
    allocation_text,
    body_of,
    find,
    read_body,
    refusal,
    seated,
)
from seatalloc.serve.models import JobOptions, JobView, ResolveOptions, Submitted, Validated, read_job, view
from seatalloc.serve.store import FINAL, Job, JobKind, JobStatus, JobStore
from seatalloc.serve.waiters import Waiters

router = APIRouter(tags=["jobs"])

#: Seconds a waiting request goes without looking at its job when no worker says it finished (a
#: queued job cancelled, a worker that died).
LOOK_EVERY = 1.0
#: The longest ``wait`` a request for a job's status may ask for.
MAX_WAIT = 60.0
#: Seconds a synchronous solve may wait in the queue before it answers 202 with its job.
SYNC_QUEUE_WAIT = 60.0


@router.post("/validate", response_model=Validated, openapi_extra=body_of("Event"), tags=["events"])
async def validate(request: Request) -> Validated:
    """Validate an event: 200 with its size, or 422 with every problem."""
    event = await run_in_threadpool(Event.model_validate_json, await read_body(request))
    return Validated(valid=True, attendees=len(event.attendees), sessions=len(event.sessions))


@router.post("/jobs", status_code=202, response_model=Submitted, openapi_extra=body_of("JobRequest"))
async def submit_job(request: Request, jobs: Store, config: Settings) -> JSONResponse:
    """Queue a solve job: 202 with its id at once."""
    text, options = await run_in_threadpool(_read, await read_body(request), JobOptions)
    return _accepted(await run_in_threadpool(_submit, request, jobs, config, "solve", text, options))


@router.get("/jobs", response_model=list[JobView])
def listed(
    jobs: Store,
    status: Annotated[JobStatus | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[JobView]:
    """The latest jobs, newest first (those in one ``status`` when given)."""
    return [view(job, f"/v1/jobs/{job.id}") for job in jobs.latest(status, limit)]


@router.get("/jobs/{ident}", response_model=JobView)
async def job(
    ident: str,
    request: Request,
    jobs: Store,
    wait: Annotated[float, Query(ge=0, le=MAX_WAIT, description="seconds to wait for the end")] = 0,
) -> JobView:
    """A job's status: queued, running (with the best objective and bound so far), done, failed
    (with the problems), cancelled or interrupted (with the best allocation found). With ``wait``,
    the answer comes as soon as the job ends, or after ``wait`` seconds."""
    return view(await _settled(request, jobs, ident, wait), f"/v1/jobs/{ident}")


@router.delete("/jobs/{ident}", status_code=202, response_model=JobView)
def cancel(ident: str, jobs: Store) -> JobView:
    """Cancel a job: a queued one at once; a running one stops with the best allocation found."""
    if jobs.cancel(ident) is None:
        raise HTTPException(404, f"no job {ident!r}")
    return view(find(jobs, ident), f"/v1/jobs/{ident}")


@router.post("/jobs/{ident}/resubmit", status_code=202, response_model=Submitted)
def resubmit(ident: str, request: Request, jobs: Store, config: Settings) -> JSONResponse:
    """Queue the job again, with the same event and options (after an interruption)."""
    old = find(jobs, ident, "event", "options", "published")
    if old.status not in FINAL:
        raise HTTPException(409, f"job {ident!r} is {old.status}: cancel it first, or wait for its end")
    options = json.loads(old.options)
    return _accepted(
        _submit(request, jobs, config, old.kind, old.event, options, published=old.published, source=ident)
    )


@router.post(
    "/jobs/{ident}/resolve",
    status_code=202,
    response_model=Submitted,
    openapi_extra=body_of("ResolveRequest"),
)
async def resolve(ident: str, request: Request, jobs: Store, config: Settings) -> JSONResponse:
    """Re-solve the job's allocation as published, for the event as it is now: a new job."""
    published = seated(find(jobs, ident, "allocation")).to_json(indent=None)
    text, options = await run_in_threadpool(_read, await read_body(request), ResolveOptions)
    more = {"published": published, "source": ident}
    return _accepted(
        await run_in_threadpool(_submit, request, jobs, config, "resolve", text, options, **more)
    )


@router.post("/solve", responses=ALLOCATION, openapi_extra=body_of("JobRequest"))
async def solve(request: Request, jobs: Store, config: Settings) -> Response:
    """Solve a small event and answer with its allocation (it runs as a job in the pool; if it
    waits too long in the queue, the answer is 202 with the job to poll)."""
    text, options = await run_in_threadpool(_read, await read_body(request), JobOptions, config)
    ident = await run_in_threadpool(_submit, request, jobs, config, "solve", text, options)
    if (await _settled(request, jobs, ident, options["time_limit"] + SYNC_QUEUE_WAIT)).status not in FINAL:
        return _accepted(ident)
    done = await run_in_threadpool(find, jobs, ident, "allocation")
    if done.status == "failed":
        return refusal(422, done.message or "the job failed", json.loads(done.problems or "[]"))
    return Response(
        allocation_text(done), media_type="application/json", headers={"Location": f"/v1/jobs/{ident}"}
    )


def _submit(
    request: Request,
    jobs: JobStore,
    config: ServeConfig,
    kind: JobKind,
    event: str,
    options: Any,
    **more: Any,
) -> str:
    ident = jobs.submit(kind, event, options, max_queue=config.max_queue, workers=config.workers, **more)
    request.app.state.pool.notify()
    return ident


def _accepted(ident: str) -> JSONResponse:
    base = f"/v1/jobs/{ident}"
    answer = Submitted(id=ident, status="queued", links={"self": base, "allocation": f"{base}/allocation"})
    return JSONResponse(answer.model_dump(), status_code=202, headers={"Location": base})


async def _settled(request: Request, jobs: JobStore, ident: str, seconds: float) -> Job:
    """The job once it has ended, or as it is after ``seconds``."""
    waiters: Waiters = request.app.state.waiters
    deadline = time.monotonic() + seconds
    while True:
        ended = waiters.register(ident)
        job = await run_in_threadpool(find, jobs, ident)
        left = deadline - time.monotonic()
        if job.status in FINAL or left <= 0:
            return job
        await waiters.wait(ended, min(left, LOOK_EVERY))


def _read(
    body: bytes, model: type[JobOptions], sync: ServeConfig | None = None
) -> tuple[str, dict[str, Any]]:
    """The event's JSON text and the options of a job request (for a synchronous solve, within
    its limits)."""
    event, text, options = read_job(body, model)
    settings = options.model_dump(mode="json")
    if sync is not None:
        problems = []
        if len(event.attendees) > sync.sync_attendees:
            problems.append(
                Problem(
                    "event",
                    "attendees",
                    f"{len(event.attendees):,} attendees: a synchronous solve takes at most "
                    f"{sync.sync_attendees:,}; submit a job (POST /v1/jobs)",
                )
            )
        if (options.time_limit or 0) > sync.sync_seconds or (options.work_limit and not options.time_limit):
            problems.append(
                Problem("options", "time_limit", f"a synchronous solve takes at most {sync.sync_seconds} s")
            )
        if problems:
            raise InputError(problems, "request")
        settings["time_limit"] = options.time_limit or sync.sync_seconds
    return text, settings
