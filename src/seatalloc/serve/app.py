"""The HTTP service: validate events, run solve jobs in worker processes, hand out their results.

Every path is under ``/v1``. A job is submitted with ``POST /v1/jobs``
(``{"event": ..., "options": ...}``, answered 202 with its id), polled with
``GET /v1/jobs/{id}`` and its allocation fetched from
``GET /v1/jobs/{id}/allocation``; the report, rosters, audit and explanations
are beside it. Refusals are JSON ``{"message": ..., "problems": [...]}`` with
the command line's problems: 401 without the token, 404 no such job, 409 no
allocation yet, 413 too large, 422 bad input, 503 the queue is full (with
Retry-After).
"""

import asyncio
import hmac
import json
import logging
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from seatalloc.errors import InputError, Problem
from seatalloc.schema import Allocation, Event
from seatalloc.serve.config import ServeConfig
from seatalloc.serve.models import (
    Health,
    JobOptions,
    JobRequest,
    JobView,
    Problems,
    ResolveOptions,
    ResolveRequest,
    Submitted,
    Validated,
    problem_items,
    read_job,
    view,
)
from seatalloc.serve.pool import Pool
from seatalloc.serve.store import FINAL, Job, JobStatus, JobStore, QueueFull
from seatalloc.serve.waiters import Waiters
from seatalloc.version import __version__

logger = logging.getLogger("seatalloc.serve")

#: Seconds the workers get at shutdown to store the best allocation of their jobs.
STOP_SECONDS = 20.0
#: Seconds between two looks for dead workers.
REVIVE_EVERY = 2.0
#: Seconds a waiting request goes without looking at its job when no worker says it finished (a
#: queued job cancelled, a worker that died).
LOOK_EVERY = 1.0
#: The longest ``wait`` a request for a job's status may ask for.
MAX_WAIT = 60.0
#: Seconds a synchronous solve may wait in the queue before it answers 202 with its job.
SYNC_QUEUE_WAIT = 60.0
REFUSALS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problems, "description": text}
    for code, text in {
        401: "no or wrong bearer token",
        404: "no such job",
        409: "the job has no allocation (yet: see Retry-After)",
        413: "the request is too large",
        422: "the input has problems, listed as the command line lists them",
        503: "the queue is full: try again after Retry-After seconds",
    }.items()
}


def _body_of(model: str) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{model}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def create_app(config: ServeConfig) -> FastAPI:
    """Return the service's ASGI app; its workers start and stop with the app's lifespan."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if config.database is None:
            Path(config.data).mkdir(parents=True, exist_ok=True)
        store = JobStore(config.url)
        interrupted = store.interrupt()  # running when the service stopped: their workers are gone
        if interrupted:
            logger.warning("%d job(s) were running when the service stopped: marked interrupted", interrupted)
        pool = Pool(config.url, config.workers)
        pool.start(store.queued())
        waiters = Waiters()
        listener = pool.listen(waiters.heard)
        app.state.store, app.state.pool, app.state.waiters = store, pool, waiters
        reviver = asyncio.create_task(_revive(pool, store))
        try:
            yield
        finally:
            reviver.cancel()
            await asyncio.to_thread(pool.stop, STOP_SECONDS)
            listener.join(STOP_SECONDS)
            store.close()

    app = FastAPI(
        title="seatalloc",
        version=__version__,
        summary="Assign attendees to parallel sessions, optimally and with proof.",
        lifespan=lifespan,
    )
    bearer = HTTPBearer(auto_error=False, description="required when the service has a token")

    def authorised(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
        if config.token is None:
            return
        given = b"" if credentials is None else credentials.credentials.encode()
        if not hmac.compare_digest(given, config.token.encode()):
            raise HTTPException(401, "a valid bearer token is required", {"WWW-Authenticate": "Bearer"})

    v1 = APIRouter(prefix="/v1", dependencies=[Depends(authorised)], responses=REFUSALS)
    _routes(v1, config)
    app.include_router(v1)

    @app.get("/v1/health", response_model=Health, tags=["service"])
    def health(request: Request) -> Health:
        """Whether the service runs: its version, workers alive and jobs per status."""
        state = request.app.state
        return Health(status="ok", version=__version__, workers=state.pool.alive(), jobs=state.store.counts())

    _refusals(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


async def _revive(pool: Pool, store: JobStore) -> None:
    while True:
        await asyncio.sleep(REVIVE_EVERY)
        replaced = await asyncio.to_thread(pool.revive, store)
        if replaced:
            logger.warning("%d worker(s) died: replaced; their jobs are marked interrupted", replaced)


def _routes(v1: APIRouter, config: ServeConfig) -> None:
    def store(request: Request) -> JobStore:
        return request.app.state.store  # type: ignore[no-any-return]

    Store = Annotated[JobStore, Depends(store)]

    async def body(request: Request) -> bytes:
        limit = config.max_request_bytes
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise HTTPException(413, f"the request is larger than {limit:,} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise HTTPException(413, f"the request is larger than {limit:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def submit(request: Request, jobs: JobStore, kind: Any, event: str, options: Any, **more: Any) -> str:
        ident = jobs.submit(kind, event, options, max_queue=config.max_queue, workers=config.workers, **more)
        request.app.state.pool.notify()
        return ident

    def accepted(ident: str) -> JSONResponse:
        base = f"/v1/jobs/{ident}"
        answer = Submitted(
            id=ident, status="queued", links={"self": base, "allocation": f"{base}/allocation"}
        )
        return JSONResponse(answer.model_dump(), status_code=202, headers={"Location": base})

    @v1.post("/validate", response_model=Validated, openapi_extra=_body_of("Event"), tags=["events"])
    async def validate(request: Request) -> Validated:
        """Validate an event: 200 with its size, or 422 with every problem."""
        event = await run_in_threadpool(Event.model_validate_json, await body(request))
        return Validated(valid=True, attendees=len(event.attendees), sessions=len(event.sessions))

    @v1.post(
        "/jobs",
        status_code=202,
        response_model=Submitted,
        openapi_extra=_body_of("JobRequest"),
        tags=["jobs"],
    )
    async def submit_job(request: Request, jobs: Store) -> JSONResponse:
        """Queue a solve job: 202 with its id at once."""
        text, options = await run_in_threadpool(_read, await body(request), JobOptions)
        return accepted(await run_in_threadpool(submit, request, jobs, "solve", text, options))

    @v1.get("/jobs", response_model=list[JobView], tags=["jobs"])
    def listed(
        jobs: Store,
        status: Annotated[JobStatus | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[JobView]:
        """The latest jobs, newest first (those in one ``status`` when given)."""
        return [view(job, f"/v1/jobs/{job.id}") for job in jobs.latest(status, limit)]

    async def settled(request: Request, jobs: JobStore, ident: str, seconds: float) -> Job:
        """The job once it has ended, or as it is after ``seconds``."""
        waiters: Waiters = request.app.state.waiters
        deadline = time.monotonic() + seconds
        while True:
            ended = waiters.register(ident)
            job = await run_in_threadpool(_job, jobs, ident)
            left = deadline - time.monotonic()
            if job.status in FINAL or left <= 0:
                return job
            await waiters.wait(ended, min(left, LOOK_EVERY))

    @v1.get("/jobs/{ident}", response_model=JobView, tags=["jobs"])
    async def job(
        ident: str,
        request: Request,
        jobs: Store,
        wait: Annotated[float, Query(ge=0, le=MAX_WAIT, description="seconds to wait for the end")] = 0,
    ) -> JobView:
        """A job's status: queued, running (with the best objective and bound so far), done,
        failed (with the problems), cancelled or interrupted (with the best allocation found).
        With ``wait``, the answer comes as soon as the job ends, or after ``wait`` seconds."""
        return view(await settled(request, jobs, ident, wait), f"/v1/jobs/{ident}")

    @v1.delete("/jobs/{ident}", status_code=202, response_model=JobView, tags=["jobs"])
    def cancel(ident: str, jobs: Store) -> JobView:
        """Cancel a job: a queued one at once; a running one stops with the best allocation found."""
        if jobs.cancel(ident) is None:
            raise HTTPException(404, f"no job {ident!r}")
        return view(_job(jobs, ident), f"/v1/jobs/{ident}")

    @v1.post("/jobs/{ident}/resubmit", status_code=202, response_model=Submitted, tags=["jobs"])
    def resubmit(ident: str, request: Request, jobs: Store) -> JSONResponse:
        """Queue the job again, with the same event and options (after an interruption)."""
        old = _job(jobs, ident, "event", "options", "published")
        if old.status not in FINAL:
            raise HTTPException(409, f"job {ident!r} is {old.status}: cancel it first, or wait for its end")
        options = json.loads(old.options)
        return accepted(
            submit(request, jobs, old.kind, old.event, options, published=old.published, source=ident)
        )

    @v1.post(
        "/jobs/{ident}/resolve",
        status_code=202,
        response_model=Submitted,
        openapi_extra=_body_of("ResolveRequest"),
        tags=["jobs"],
    )
    async def resolve(ident: str, request: Request, jobs: Store) -> JSONResponse:
        """Re-solve the job's allocation as published, for the event as it is now: a new job."""
        published = _seated(_job(jobs, ident, "allocation")).to_json(indent=None)
        text, options = await run_in_threadpool(_read, await body(request), ResolveOptions)
        return accepted(
            await run_in_threadpool(
                submit, request, jobs, "resolve", text, options, published=published, source=ident
            )
        )

    @v1.get(
        "/jobs/{ident}/allocation",
        responses={
            200: {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Allocation"}}}}
        },
        tags=["results"],
    )
    def allocation(ident: str, jobs: Store) -> Response:
        """The allocation JSON, as the command line writes it."""
        return Response(_allocation(_job(jobs, ident, "allocation")), media_type="application/json")

    @v1.get("/jobs/{ident}/report", response_class=HTMLResponse, tags=["results"])
    def report(ident: str, jobs: Store) -> HTMLResponse:
        """The one-page HTML report."""
        from seatalloc.explain.report import render_report

        return HTMLResponse(render_report(*_documents(jobs, ident)))

    @v1.get("/jobs/{ident}/rosters", tags=["results"])
    def rosters(
        ident: str,
        jobs: Store,
        format: Literal["xlsx", "csv"] = "xlsx",  # noqa: A002 (the query parameter's name)
        by: Annotated[list[Literal["session", "attendee", "organisation"]] | None, Query()] = None,
    ) -> Response:
        """Rosters: an .xlsx workbook (a sheet per roster) or one CSV roster (``by``, default session)."""
        from seatalloc.io.rosters import write_rosters

        event, allocation = _documents(jobs, ident)
        kinds = by or (["session", "attendee", "organisation"] if format == "xlsx" else ["session"])
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"rosters.{format}"
            write_rosters(event, allocation, path, kinds)
            content = path.read_bytes()
        media = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            if format == "xlsx"
            else "text/csv; charset=utf-8"
        )
        disposition = f'attachment; filename="rosters-{ident}.{format}"'
        return Response(content, media_type=media, headers={"Content-Disposition": disposition})

    @v1.get("/jobs/{ident}/audit", tags=["results"])
    def audit(ident: str, jobs: Store) -> Response:
        """The fairness audit (aggregates only)."""
        from seatalloc.explain.audit import audit

        return Response(audit(*_documents(jobs, ident)).model_dump_json(), media_type="application/json")

    @v1.get("/jobs/{ident}/explanations", tags=["results"])
    def explanations(
        ident: str, jobs: Store, attendee: Annotated[list[str] | None, Query()] = None
    ) -> Response:
        """Why attendees did not get a better choice: everyone, or the ``attendee`` ids given."""
        from seatalloc.explain.why import explain_many

        event, allocation = _documents(jobs, ident)
        known = {a.id for a in event.attendees}
        unknown = [a for a in attendee or () if a not in known]
        if unknown:
            problems = [Problem("query", "attendee", f"no attendee {a!r} in the event") for a in unknown]
            raise InputError(problems, "request")
        who = attendee or [a.id for a in event.attendees]
        answers = [why.model_dump(mode="json") for why in explain_many(event, allocation, who)]
        return JSONResponse(answers)

    @v1.post(
        "/solve",
        responses={
            200: {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Allocation"}}}}
        },
        openapi_extra=_body_of("JobRequest"),
        tags=["jobs"],
    )
    async def solve(request: Request, jobs: Store) -> Response:
        """Solve a small event and answer with its allocation (it runs as a job in the pool; if it
        waits too long in the queue, the answer is 202 with the job to poll)."""
        text, options = await run_in_threadpool(_read, await body(request), JobOptions, config)
        ident = await run_in_threadpool(submit, request, jobs, "solve", text, options)
        if (await settled(request, jobs, ident, options["time_limit"] + SYNC_QUEUE_WAIT)).status not in FINAL:
            return accepted(ident)
        done = await run_in_threadpool(_job, jobs, ident, "allocation")
        if done.status == "failed":
            return _refusal(422, done.message or "the job failed", json.loads(done.problems or "[]"))
        return Response(
            _allocation(done), media_type="application/json", headers={"Location": f"/v1/jobs/{ident}"}
        )


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


def _job(jobs: JobStore, ident: str, *documents: str) -> Job:
    job = jobs.get(ident, *documents)
    if job is None:
        raise HTTPException(404, f"no job {ident!r}")
    return job


def _allocation(job: Job) -> str:
    """The job's allocation JSON, or 409 saying why there is none."""
    if job.allocation is None:
        waiting = job.status in ("queued", "running")
        message = f"job {job.id!r} is {job.status}: " + (
            "no allocation yet" if waiting else job.message or "it has no allocation"
        )
        raise HTTPException(409, message, {"Retry-After": "1"} if waiting else None)
    return str(job.allocation)


def _seated(job: Job) -> Allocation:
    """The job's allocation, or 409 when it seats nobody."""
    allocation = Allocation.model_validate_json(_allocation(job))
    if allocation.status not in ("optimal", "feasible"):
        raise HTTPException(409, f"nobody is seated: the allocation's status is {allocation.status}")
    return allocation


def _documents(jobs: JobStore, ident: str) -> tuple[Event, Allocation]:
    """The event and allocation of a job that has seats to show."""
    job = _job(jobs, ident, "event", "allocation")
    return Event.model_validate_json(job.event), _seated(job)


def _refusal(
    code: int, message: str, problems: list[Any], headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"message": message, "problems": problems}, status_code=code, headers=headers)


def _refusals(app: FastAPI) -> None:
    """Every refusal as ``{"message", "problems"}``; never a traceback."""

    @app.exception_handler(InputError)
    async def bad_input(_request: Request, err: InputError) -> JSONResponse:
        return _refusal(422, str(err), problem_items(err.problems))

    @app.exception_handler(QueueFull)
    async def full(_request: Request, err: QueueFull) -> JSONResponse:
        return _refusal(503, str(err), [], {"Retry-After": str(err.retry_after)})

    @app.exception_handler(StarletteHTTPException)
    async def refused(_request: Request, err: StarletteHTTPException) -> JSONResponse:
        return _refusal(err.status_code, str(err.detail), [], dict(err.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, err: RequestValidationError) -> JSONResponse:
        problems = [
            Problem(str(e["loc"][0]), ".".join(str(p) for p in e["loc"][1:]), e["msg"]) for e in err.errors()
        ]
        return _refusal(422, str(InputError(problems, "request")), problem_items(problems))

    @app.exception_handler(Exception)
    async def failed(_request: Request, err: Exception) -> JSONResponse:
        logger.error("internal error: %s", type(err).__name__)  # the type only: no personal data
        return _refusal(500, f"internal error ({type(err).__name__})", [])


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with the event, job requests and allocation as schemas."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (JobRequest, ResolveRequest, Event, Allocation):
        document = model.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")
        components.update(document.pop("$defs", {}))
        components[model.__name__] = document
    app.openapi_schema = schema
    return schema
