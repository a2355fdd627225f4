"""What every route shares: the store and settings of the running service, the request body within
its limit, a job by id (404) and its allocation (409), and every refusal as
``{"message": ..., "problems": [...]}`` (never a traceback)."""

import logging
import re
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from seatalloc.errors import InputError, Problem
from seatalloc.schema import Allocation, Event
from seatalloc.serve.config import ServeConfig
from seatalloc.serve.models import Problems, problem_items
from seatalloc.serve.store import Job, JobStore, QueueFull

logger = logging.getLogger("seatalloc.serve")

#: The refusals every route under /v1 may answer, for the OpenAPI document.
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
#: An answer that is an allocation, for the OpenAPI document.
ALLOCATION: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Allocation"}}}}
}


def body_of(model: str) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads the JSON of ``model`` itself."""
    schema = {"$ref": f"#/components/schemas/{model}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def _store(request: Request) -> JobStore:
    return request.app.state.store  # type: ignore[no-any-return]


def _settings(request: Request) -> ServeConfig:
    return request.app.state.config  # type: ignore[no-any-return]


Store = Annotated[JobStore, Depends(_store)]
Settings = Annotated[ServeConfig, Depends(_settings)]


async def read_body(request: Request) -> bytes:
    """The request body; 413 as soon as it is larger than the service takes."""
    limit = _settings(request).max_request_bytes
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


def find(jobs: JobStore, ident: str, *documents: str) -> Job:
    """The job ``ident`` with the ``documents`` named, or 404."""
    job = jobs.get(ident, *documents)
    if job is None:
        raise HTTPException(404, f"no job {ident!r}")
    return job


def allocation_text(job: Job) -> str:
    """The job's allocation JSON, or 409 saying why there is none."""
    if job.allocation is None:
        waiting = job.status in ("queued", "running")
        message = f"job {job.id!r} is {job.status}: " + (
            "no allocation yet" if waiting else job.message or "it has no allocation"
        )
        raise HTTPException(409, message, {"Retry-After": "1"} if waiting else None)
    return str(job.allocation)


def seated(job: Job) -> Allocation:
    """The job's allocation, or 409 when it seats nobody."""
    allocation = Allocation.model_validate_json(allocation_text(job))
    if allocation.status not in ("optimal", "feasible"):
        raise HTTPException(409, f"nobody is seated: the allocation's status is {allocation.status}")
    return allocation


def documents(jobs: JobStore, ident: str) -> tuple[Event, Allocation]:
    """The event and allocation of a job that has seats to show."""
    job = find(jobs, ident, "event", "allocation")
    return Event.model_validate_json(job.event), seated(job)


def refusal(
    code: int, message: str, problems: list[Any], headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"message": message, "problems": problems}, status_code=code, headers=headers)


def allowed(request: Request) -> list[str]:
    """The methods the OpenAPI document gives the request's path, sorted (the routes of one path are
    several, each with its own methods)."""
    path = request.url.path
    methods: set[str] = set()
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            methods |= {method.upper() for method in operations}
    return sorted(methods)


def install_refusals(app: FastAPI) -> None:
    """Answer every refusal as ``{"message", "problems"}``."""

    @app.exception_handler(InputError)
    async def bad_input(_request: Request, err: InputError) -> JSONResponse:
        return refusal(422, str(err), problem_items(err.problems))

    @app.exception_handler(QueueFull)
    async def full(_request: Request, err: QueueFull) -> JSONResponse:
        return refusal(503, str(err), [], {"Retry-After": str(err.retry_after)})

    @app.exception_handler(StarletteHTTPException)
    async def refused(request: Request, err: StarletteHTTPException) -> JSONResponse:
        headers = dict(err.headers or {})
        if err.status_code == 405:  # every method of the path, not only the first route's that matched
            headers["Allow"] = ", ".join(allowed(request))
        return refusal(err.status_code, str(err.detail), [], headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, err: RequestValidationError) -> JSONResponse:
        problems = [
            Problem(str(e["loc"][0]), ".".join(str(p) for p in e["loc"][1:]), e["msg"]) for e in err.errors()
        ]
        return refusal(422, str(InputError(problems, "request")), problem_items(problems))

    @app.exception_handler(Exception)
    async def failed(_request: Request, err: Exception) -> JSONResponse:
        logger.error("internal error: %s", type(err).__name__)  # the type only: no personal data
        return refusal(500, f"internal error ({type(err).__name__})", [])
