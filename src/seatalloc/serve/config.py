"""The service's settings, checked once: where jobs are kept, how many workers, the limits, the token."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from seatalloc.errors import InputError, Problem

#: The largest request body by default: 64 MB.
MAX_REQUEST_BYTES = 64 * 2**20


@dataclass(frozen=True)
class ServeConfig:
    """How ``seatalloc serve`` runs.

    Parameters
    ----------
    host, port
        Where it listens. A host that is not a loopback address needs a ``token``.
    workers
        Worker processes solving jobs (default: one per core).
    data
        The folder of the job database (SQLite), made when missing.
    database
        A database URL (SQLAlchemy's form, e.g. ``postgresql+psycopg://user@db/seatalloc``)
        instead of SQLite under ``data``. One service per database.
    token
        When given, every request but the health check must carry ``Authorization: Bearer TOKEN``.
    max_request_bytes
        Larger request bodies are answered 413.
    max_queue
        Jobs that may wait; one more is answered 503 with Retry-After.
    sync_attendees, sync_seconds
        The largest event and time limit ``POST /v1/solve`` answers synchronously.
    """

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = os.cpu_count() or 1
    data: str = "seatalloc-data"
    database: str | None = None
    token: str | None = None
    max_request_bytes: int = MAX_REQUEST_BYTES
    max_queue: int = 100
    sync_attendees: int = 5000
    sync_seconds: float = 10.0

    def __post_init__(self) -> None:
        problems = []
        for name in ("workers", "max_request_bytes", "max_queue", "sync_attendees"):
            if getattr(self, name) < 1:
                problems.append(Problem("serve", name, f"must be at least 1, got {getattr(self, name)}"))
        if not 0 <= self.port <= 65535:
            problems.append(Problem("serve", "port", f"must be 0 to 65535, got {self.port}"))
        if self.token is not None and not self.token.strip():
            problems.append(Problem("serve", "token", "must not be empty"))
        if self.token is None and not loopback(self.host):
            problems.append(
                Problem(
                    "serve",
                    "host",
                    f"{self.host!r} is reachable from other machines: give a --token "
                    "(or SEATALLOC_TOKEN), or listen on 127.0.0.1",
                )
            )
        if problems:
            raise InputError(problems, "service settings")

    @property
    def url(self) -> str:
        """The database URL: ``database``, or SQLite in ``data``."""
        if self.database:
            return self.database
        return f"sqlite:///{Path(self.data).resolve() / 'jobs.sqlite3'}"


def loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
