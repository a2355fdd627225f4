"""Durable jobs: every submitted job, its progress and its result, in one database table.

SQLite under the service's data folder by default (nothing to install); any
database SQLAlchemy reaches (PostgreSQL: ``postgresql+psycopg://...``) through
the same code. The table is also the queue: a worker claims the oldest queued
job with a conditional update, so two workers never run one job and a
restart finds every job where it was.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    false,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Engine

from seatalloc.errors import Problem, SeatallocError

JobStatus = Literal["queued", "running", "done", "failed", "cancelled", "interrupted"]
JobKind = Literal["solve", "resolve"]
#: Statuses a job never leaves.
FINAL = ("done", "failed", "cancelled", "interrupted")

metadata = MetaData()
jobs = Table(
    "seatalloc_jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("submitted", Float, nullable=False, index=True),
    Column("started", Float),
    Column("finished", Float),
    Column("owner", String(100)),  # the worker running it: host/pid/random
    Column("cancel", Boolean, nullable=False, default=False),
    Column("source", String(32)),  # a re-solve's published job; a resubmitted job's original
    Column("stage", String(100)),
    Column("seconds", Float),
    Column("best", Float),
    Column("bound", Float),
    Column("result", Text),  # JSON: status, objective, bound, gap, seated, unseated, method, stop
    Column("problems", Text),  # JSON: the input's problems, for a failed job
    Column("message", Text),
    Column("event", Text, nullable=False),
    Column("options", Text, nullable=False),
    Column("published", Text),
    Column("allocation", Text),
)
#: The columns a job's status shows (not its documents).
SUMMARY = [
    jobs.c[name]
    for name in (
        "id",
        "kind",
        "status",
        "submitted",
        "started",
        "finished",
        "cancel",
        "source",
        "stage",
        "seconds",
        "best",
        "bound",
        "result",
        "problems",
        "message",
    )
]


class QueueFull(SeatallocError):
    """The queue holds as many jobs as it may: submit again after ``retry_after`` seconds."""

    def __init__(self, queued: int, retry_after: int):
        self.queued, self.retry_after = queued, retry_after
        super().__init__(f"the queue is full ({queued} jobs waiting): try again in {retry_after} s")


@dataclass(frozen=True)
class Job:
    """A job's row: its summary columns, and its documents when asked for."""

    row: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.row[name]
        except KeyError:
            raise AttributeError(name) from None


def _engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:  # readers never wait for the one writer
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


class JobStore:
    """The jobs of one service, in the database at ``url`` (the table is made when missing)."""

    def __init__(self, url: str):
        self.engine = _engine(url)
        self._submitting = threading.Lock()  # the queue's count and the new job, one request at a time
        metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def submit(
        self,
        kind: JobKind,
        event: str,
        options: dict[str, Any],
        *,
        published: str | None = None,
        source: str | None = None,
        max_queue: int,
        workers: int,
    ) -> str:
        """Queue a job; return its id. Raises :class:`QueueFull` when ``max_queue`` jobs wait."""
        ident = uuid.uuid4().hex
        with self._submitting, self.engine.begin() as c:
            queued = c.scalar(select(func.count()).select_from(jobs).where(jobs.c.status == "queued")) or 0
            if queued >= max_queue:
                raise QueueFull(queued, self._retry_after(c, queued, workers))
            c.execute(
                insert(jobs).values(
                    id=ident,
                    kind=kind,
                    status="queued",
                    submitted=time.time(),
                    cancel=False,
                    source=source,
                    event=event,
                    options=json.dumps(options),
                    published=published,
                )
            )
        return ident

    @staticmethod
    def _retry_after(c: Any, queued: int, workers: int) -> int:
        """Seconds until a place in the queue is likely free: the recent jobs' mean run time."""
        recent = (
            select((jobs.c.finished - jobs.c.started).label("took"))
            .where(jobs.c.status == "done")
            .order_by(jobs.c.finished.desc())
            .limit(50)
            .subquery()
        )
        mean = c.scalar(select(func.avg(recent.c.took))) or 1.0
        return max(1, min(60, round(mean * max(1, queued // max(1, workers)))))

    def get(self, ident: str, *documents: str) -> Job | None:
        """The job ``ident`` with its summary and the ``documents`` named (event, options,
        published, allocation), or None."""
        columns = SUMMARY + [jobs.c[name] for name in documents]
        with self.engine.connect() as c:
            row = c.execute(select(*columns).where(jobs.c.id == ident)).mappings().first()
        return None if row is None else Job(dict(row))

    def latest(self, status: str | None, limit: int) -> list[Job]:
        """The ``limit`` latest jobs, newest first; those in ``status`` when given."""
        query = select(*SUMMARY).order_by(jobs.c.submitted.desc()).limit(limit)
        if status is not None:
            query = query.where(jobs.c.status == status)
        with self.engine.connect() as c:
            return [Job(dict(row)) for row in c.execute(query).mappings()]

    def counts(self) -> dict[str, int]:
        """How many jobs are in each status."""
        with self.engine.connect() as c:
            rows = c.execute(select(jobs.c.status, func.count()).group_by(jobs.c.status)).all()
        return {status: count for status, count in rows}

    def claim(self, owner: str) -> Job | None:
        """Mark the oldest queued job running for ``owner`` and return it with its documents."""
        while True:
            with self.engine.begin() as c:
                ident = c.scalar(
                    select(jobs.c.id).where(jobs.c.status == "queued").order_by(jobs.c.submitted).limit(1)
                )
                if ident is None:
                    return None
                taken = c.execute(
                    update(jobs)
                    .where(jobs.c.id == ident, jobs.c.status == "queued")
                    .values(status="running", owner=owner, started=time.time())
                ).rowcount
            if taken:
                return self.get(ident, "event", "options", "published")

    def progress(self, ident: str, owner: str, stage: str, seconds: float, best: Any, bound: Any) -> None:
        """Record the best objective and bound so far of a running job."""
        with self.engine.begin() as c:
            c.execute(
                update(jobs)
                .where(jobs.c.id == ident, jobs.c.owner == owner, jobs.c.status == "running")
                .values(stage=stage[:100], seconds=seconds, best=best, bound=bound)
            )

    def cancel_requested(self, ident: str) -> bool:
        with self.engine.connect() as c:
            return bool(c.scalar(select(jobs.c.cancel).where(jobs.c.id == ident)))

    def cancel(self, ident: str) -> str | None:
        """Cancel a job: a queued one at once, a running one by its worker (which keeps the best
        allocation found). Return the job's status after the request, or None when unknown."""
        now = time.time()
        with self.engine.begin() as c:
            c.execute(
                update(jobs)
                .where(jobs.c.id == ident, jobs.c.status == "queued")
                .values(status="cancelled", finished=now, cancel=True, message="cancelled before it ran")
            )
            c.execute(update(jobs).where(jobs.c.id == ident, jobs.c.status == "running").values(cancel=True))
            status = c.scalar(select(jobs.c.status).where(jobs.c.id == ident))
        return None if status is None else str(status)

    def finish(
        self,
        ident: str,
        owner: str,
        status: JobStatus,
        *,
        allocation: str | None = None,
        result: dict[str, Any] | None = None,
        problems: Iterable[Problem] = (),
        message: str | None = None,
    ) -> None:
        """Store the end of a job its worker ran, also when a restart has marked it interrupted
        meanwhile (the worker then stores the best allocation it had)."""
        listed = [asdict(p) for p in problems]
        with self.engine.begin() as c:
            c.execute(
                update(jobs)
                .where(
                    jobs.c.id == ident,
                    jobs.c.owner == owner,
                    jobs.c.status.in_(("running", "interrupted")),
                )
                .values(
                    status=status,
                    finished=time.time(),
                    allocation=allocation,
                    result=None if result is None else json.dumps(result),
                    problems=json.dumps(listed) if listed else None,
                    message=message,
                )
            )

    def interrupt(self, owners: Iterable[str] | None = None) -> int:
        """Mark running jobs interrupted: every one (at start-up: no worker of an earlier process
        runs for this service), or those whose owner starts with one of ``owners`` (workers that
        died). Return how many."""
        condition = jobs.c.status == "running"
        if owners is not None:
            condition = condition & or_(false(), *(jobs.c.owner.startswith(o) for o in owners))
        with self.engine.begin() as c:
            return c.execute(
                update(jobs)
                .where(condition)
                .values(
                    status="interrupted", finished=time.time(), message="the service stopped while it ran"
                )
            ).rowcount

    def queued(self) -> int:
        return self.counts().get("queued", 0)
