"""A worker process: claims queued jobs from the store and solves them, one at a time.

Each job runs with its own time limit (the seam's deadline) and a cancel event
that a watcher thread sets when the job is cancelled, or when the service
stops or dies (the pipe from the service closes): the solve then returns the
best allocation it found, which is stored with the job.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from multiprocessing.connection import Connection
from typing import Any

from seatalloc.errors import InputError, Problem, SeatallocError
from seatalloc.serve.models import JobOptions, ResolveOptions, solve_options
from seatalloc.serve.store import Job, JobStatus, JobStore

logger = logging.getLogger("seatalloc.serve")

#: Seconds between two looks at a running job's cancel flag and at the service, and two writes of
#: its progress.
WATCH = 0.25
#: Seconds a worker waits for a wake-up before it looks at the queue again.
IDLE = 1.0
#: What a job stopped early says beside its allocation.
STOPPED = {
    "cancelled": "cancelled: the allocation is the best found before",
    "interrupted": "the service stopped while it ran: the allocation is the best found before",
}


def owner_prefix(pid: int | None) -> str:
    """The start of the owner name of every job the process ``pid`` on this host runs."""
    return f"{socket.gethostname()[:40]}/{pid}/"


def owner_name() -> str:
    """Who runs a job: host, process and a random part (a pid may be reused after a restart)."""
    return owner_prefix(os.getpid()) + uuid.uuid4().hex[:8]


def main(url: str, wake: Any, service: Connection, finished: Any) -> None:
    """Run jobs from the store at ``url`` until the ``service`` pipe closes (stop or death); put the
    id of every job finished on the ``finished`` queue."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s")
    store = JobStore(url)
    owner = owner_name()

    def gone() -> bool:
        return service.poll()  # the service closed its end: it stops, or it died

    try:
        while not gone():
            job = store.claim(owner)
            if job is None:
                wake.acquire(timeout=IDLE)
                continue
            run(store, job, owner, gone)
            finished.put(job.id)
    finally:
        store.close()


def run(store: JobStore, job: Job, owner: str, gone: Any) -> None:
    """Solve one claimed job and store its end."""
    cancel, finished = threading.Event(), threading.Event()
    why: list[JobStatus] = []
    latest: list[tuple[str, float, float | None, float | None]] = []

    def progress(stage: str, seconds: float, best: float | None, bound: float | None) -> None:
        latest.append((stage, seconds, best, bound))  # stored by the watcher: the search never waits

    def watch() -> None:
        stored = None
        while not finished.wait(WATCH):
            if latest and latest[-1] != stored:
                stored = latest[-1]
                del latest[:-1]
                store.progress(job.id, owner, *stored)
            if gone():
                why.append("interrupted")
            elif store.cancel_requested(job.id):
                why.append("cancelled")
            else:
                continue
            cancel.set()
            return

    watcher = threading.Thread(target=watch, name=f"watch-{job.id}", daemon=True)
    watcher.start()
    started = time.monotonic()
    try:
        allocation = _solve(job, cancel, progress)
    except Exception as err:  # noqa: BLE001 (the service stays up: the job fails, saying why)
        problems, message = _failure(job.id, err)
        store.finish(job.id, owner, "failed", problems=problems, message=message)
        return
    finally:
        finished.set()
    status: JobStatus = why[0] if why else "done"
    solver = allocation.solver
    result = {
        "status": allocation.status,
        "objective": allocation.objective,
        "bound": allocation.bound,
        "gap": allocation.gap,
        "seated": len(allocation.assignments),
        "unseated": allocation.n_unseated,
        "method": None if solver is None else solver.method,
        "stop": None if solver is None else solver.stop,
    }
    text = allocation.to_json(indent=None)
    store.finish(job.id, owner, status, allocation=text, result=result, message=STOPPED.get(status))
    logger.info("job %s %s: %s in %.2f s", job.id, status, allocation.status, time.monotonic() - started)


def _failure(ident: str, err: Exception) -> tuple[tuple[Problem, ...], str]:
    """What a failed job says: the input's problems, a seatalloc error's message (they name records
    and rules, never personal data), or for anything else only the error's type (its message may
    quote the data)."""
    if isinstance(err, InputError):
        return err.problems, str(err)
    if isinstance(err, SeatallocError):
        return (), str(err)
    if isinstance(err, MemoryError):
        logger.error("job %s ran out of memory", ident)
        return (), "the worker ran out of memory: the event is too large"
    logger.error("job %s failed: %s", ident, type(err).__name__)
    return (), f"internal error ({type(err).__name__})"


def _solve(job: Job, cancel: threading.Event, progress: Any) -> Any:
    from seatalloc.schema import Allocation, Event
    from seatalloc.solve import resolve, solve

    event = Event.model_validate_json(job.event)
    model = ResolveOptions if job.kind == "resolve" else JobOptions
    settings = model.model_validate_json(job.options)
    options = solve_options(settings, cancel=cancel, progress=progress)
    if job.kind == "resolve":
        assert isinstance(settings, ResolveOptions)
        published = Allocation.model_validate_json(job.published)
        cost, most = settings.move_cost, settings.max_moves
        if settings.responses is None:
            return resolve(event, published, options, move_cost=cost, max_moves=most)
        from seatalloc.schema.responses import Responses
        from seatalloc.solve.responses import respond

        answers = Responses(responses=settings.responses)
        return respond(event, published, answers, options, move_cost=cost, max_moves=most)
    return solve(event, options)
