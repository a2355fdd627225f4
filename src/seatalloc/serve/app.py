"""The HTTP service: validate events, run solve jobs in worker processes, hand out their results.

Every path is under ``/v1``. A job is submitted with ``POST /v1/jobs``
(``{"event": ..., "options": ...}``, answered 202 with its id), polled with
``GET /v1/jobs/{id}`` and its allocation fetched from
``GET /v1/jobs/{id}/allocation``; the report, rosters, audit and explanations
are beside it (routes in ``jobs`` and ``results``). Refusals are JSON
``{"message": ..., "problems": [...]}`` with the command line's problems: 401
without the token, 404 no such job, 409 no allocation yet, 413 too large, 422
bad input, 503 the queue is full (with Retry-After).
"""

import asyncio
import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.openapi.utils import get_openapi
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from seatalloc.schema import Allocation, Event
from seatalloc.serve import jobs, results
from seatalloc.serve.config import ServeConfig
from seatalloc.serve.http import REFUSALS, install_refusals
from seatalloc.serve.models import Health, JobRequest, ResolveRequest
from seatalloc.serve.pool import Pool
from seatalloc.serve.store import JobStore
from seatalloc.serve.waiters import Waiters
from seatalloc.version import __version__

logger = logging.getLogger("seatalloc.serve")

#: Seconds the workers get at shutdown to store the best allocation of their jobs.
STOP_SECONDS = 20.0
#: Seconds between two looks for dead workers.
REVIVE_EVERY = 2.0


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

    app.state.config = config
    v1 = APIRouter(prefix="/v1", dependencies=[Depends(authorised)], responses=REFUSALS)
    v1.include_router(jobs.router)
    v1.include_router(results.router)
    app.include_router(v1)

    @app.get("/v1/health", response_model=Health, tags=["service"])
    def health(request: Request) -> Health:
        """Whether the service runs: its version, workers alive and jobs per status."""
        state = request.app.state
        return Health(status="ok", version=__version__, workers=state.pool.alive(), jobs=state.store.counts())

    install_refusals(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


async def _revive(pool: Pool, store: JobStore) -> None:
    while True:
        await asyncio.sleep(REVIVE_EVERY)
        replaced = await asyncio.to_thread(pool.revive, store)
        if replaced:
            logger.warning("%d worker(s) died: replaced; their jobs are marked interrupted", replaced)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with the event, job requests and allocation as schemas."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
    refusal = {"application/json": {"schema": {"$ref": "#/components/schemas/Problems"}}}
    secured = app.state.config.token is not None
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for code, answer in operation.get("responses", {}).items():
                if code[0] in "45":  # refusals are JSON, whatever the route answers when it succeeds
                    answer["content"] = refusal
            if not secured:  # without a token no operation asks for one
                operation.pop("security", None)
                operation.get("responses", {}).pop("401", None)
    if not secured:
        schema.get("components", {}).pop("securitySchemes", None)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (JobRequest, ResolveRequest, Event, Allocation):
        document = model.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")
        components.update(document.pop("$defs", {}))
        components[model.__name__] = document
    app.openapi_schema = schema
    return schema
